#!/bin/sh
# Render a sample inspection report (10 problems) to Word, convert it to PDF with LibreOffice
# and page 1 to PNG: docs/report-page1.png. Needs soffice and pdftoppm (poppler-utils).
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d)
.venv/bin/python bench/report_render_bench.py --problems 10 --sample "$out/report.docx"
soffice --headless --convert-to pdf --outdir "$out" "$out/report.docx" >/dev/null
pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$out/report.pdf" docs/report-page1
ls -l docs/report-page1.png
