"""English dates and times: the day before the month, the month in words, a 12-hour clock.

"05/09/2025" reads as 9 May in India and as 5 September in a browser set to American English, so
no page writes a day in figures only: every named format here gives "9 May 2025", and a moment is
"9 May 2025, 4:03 p.m.". SHORT_* are the same as the long ones on purpose (templates that ask for
the short form get the one form). CSV files write ISO dates (YYYY-MM-DD) and never come here.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "j F Y, g:i a"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"

# What a form accepts where a browser sends text instead of a date picker's value: ISO first (what
# every date input sends and what a date widget writes back), then forms with the month in words.
# Never a day and a month both in figures, which one reader takes for the other.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d %B, %Y", "%d %b, %Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
