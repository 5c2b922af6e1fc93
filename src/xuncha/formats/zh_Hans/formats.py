# Dates as the Chinese UI writes them: 2024年2月28日.
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]
# Amounts in yuan as finance offices write them when grouping is asked for (floatformat "2g").
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
