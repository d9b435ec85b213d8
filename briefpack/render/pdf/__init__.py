"""Brief -> .pdf: the PDF renderer, with reportlab Platypus.

``layout`` lays a Brief out and writes it; ``pages`` is the page machinery (furniture,
parts, outline, page parity), ``blocks`` turns blocks into flowables, ``tables`` lays out
data tables, and ``style`` reads the template's pdf-style.yaml and registers its fonts.
"""

from .layout import LaidOutPdf, PdfLayout, lay_out, render_pdf
from .style import PdfStyle, default_style_path, load_pdf_style

__all__ = ["LaidOutPdf", "PdfLayout", "PdfStyle", "default_style_path", "lay_out",
           "load_pdf_style", "render_pdf"]
