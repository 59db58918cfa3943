# English as the partnership reads it in Romania and the Netherlands: day before month, never
# the American 11/05/2023 that means May there and November here.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]
FIRST_DAY_OF_WEEK = 1
