from xuncha.findings.models.papers import Evidence, Kind, PaperAmendment, PaperStep, WorkingPaper
from xuncha.findings.models.problems import Problem
from xuncha.findings.models.review import Defect, Review, ReviewSession, Rubric

__all__ = ["Defect", "Evidence", "Kind", "PaperAmendment", "PaperStep", "Problem", "Review", "ReviewSession",
           "Rubric", "WorkingPaper"]
