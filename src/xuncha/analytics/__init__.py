"""Analytics: statistics for a committee, term or round; recurring, common and systemic problems;
recommendations (巡察建议书) to functional departments and the special campaigns they start."""
