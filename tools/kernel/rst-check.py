#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Parse a Documentation .rst with docutils (no Sphinx needed) and fail on any
# message, with the kernel's kernel-doc directive accepted as a no-op.
#
#   rst-check.py FILE

import sys

import docutils.core
from docutils.parsers.rst import Directive, directives


class KernelDoc(Directive):
    required_arguments = 1
    option_spec = {name: directives.unchanged for name in
                   ('export', 'internal', 'identifiers', 'no-identifiers',
                    'functions', 'doc')}

    def run(self):
        return []


directives.register_directive('kernel-doc', KernelDoc)
src = open(sys.argv[1]).read()
try:
    docutils.core.publish_string(src, source_path=sys.argv[1], writer_name='null',
                                 settings_overrides={'report_level': 1,
                                                     'halt_level': 1})
except docutils.utils.SystemMessage as e:
    print(e)
    sys.exit(1)
