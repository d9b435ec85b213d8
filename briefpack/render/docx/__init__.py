"""Brief -> .docx: the Word renderer, built on the template's reference.docx.

``writer`` walks the Brief's blocks; ``tables`` lays out data tables, ``sections`` the
sections with their headers and footers, ``elements`` builds WordprocessingML elements
python-docx has no API for, and ``package`` opens the template and saves byte-stably.
"""

from .writer import needs_pdf_layout, render_docx

__all__ = ["needs_pdf_layout", "render_docx"]
