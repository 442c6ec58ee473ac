"""The RTI register: applications under the Right to Information Act, 2005, and their statutory
clocks.

- ``clocks``: the time limits of the Act, computed from an application's dates as a pure function
  (no models, no database), each deadline carrying the rule and section that produced it, so the
  page, the reminders and the reports show one set of dates and can say why.
"""
