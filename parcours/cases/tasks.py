from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="6", minute="0"))
def follow_up_reminders_daily():
    from .services import follow_up_reminders

    follow_up_reminders()
