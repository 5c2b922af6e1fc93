"""Menu entries and to-dos of the evidence pages: none. Evidence hangs under its paper
(findings:paper_evidence, linked from the paper's page), so it has no menu entry of its own."""
