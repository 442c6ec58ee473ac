"""Hindi dates and times, the same shape as the English ones: "9 मई 2025", "9 मई 2025, 4:03 अपराह्न".

The month is "E", Django's alternative month name: its Hindi catalogue spells the plain names
(format "F") "सितमबर", "नवमबर", "दिसमबर", without the nasal sign, and the abbreviations ("N")
differently again ("दिसम्बर"); the alternative names are the standard "सितंबर", "नवंबर", "दिसंबर"
and "फरवरी". In English "E" and "F" are the same. Django's catalogue gives "बजे" for both a.m.
and p.m.; the project's catalogue says "पूर्वाह्न" and "अपराह्न".
"""

DATE_FORMAT = "j E Y"
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "j E Y, g:i a"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "E Y"
MONTH_DAY_FORMAT = "j E"

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
