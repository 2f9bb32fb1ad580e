# The dates a newspaper prints, in full ("December 6, 2016"), where Django's English
# abbreviates the month ("Dec. 6, 2016"); and times as "2:30 p.m." (Django: "2:30 p.m." too,
# but "noon" at 12:00). DATETIME_FORMAT stays Django's.
DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i a"
