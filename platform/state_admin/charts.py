from core.charts import *  # noqa: F403 (moved to core.charts; both consoles draw with it)
