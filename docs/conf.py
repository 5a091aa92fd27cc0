"""Sphinx configuration: the guides (Markdown, via MyST), the API reference (autodoc), the furo
theme. CI builds it with warnings as errors (see ``.ci/run``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zammad_orm import __version__

project = "zammad_orm"
release = __version__
extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "examples", "notebooks"]
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
myst_heading_anchors = 3
html_theme = "furo"
html_title = f"zammad_orm {release}"
# Annotations such as ``type[Resource]`` make Sphinx look for an object named ``type``; the
# resource fields called ``type`` (Ticket.type, Article.type) make that lookup ambiguous.
# The builtin is meant, and an ambiguous lookup still links to a field: leave it unlinked.
suppress_warnings = ["ref.python"]
