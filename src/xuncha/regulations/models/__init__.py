from xuncha.regulations.models.library import Provision, Regulation, RegulationVersion
from xuncha.regulations.models.study import StudyActivity, StudyCampaign

__all__ = ["Provision", "Regulation", "RegulationVersion", "StudyActivity", "StudyCampaign"]
