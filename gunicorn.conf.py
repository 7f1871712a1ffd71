"""gunicorn's settings, read from the working directory (`gunicorn config.wsgi:application`, README).

Its access and error logs are not Django's: admin searches put e-mails, phones, personal codes and names
in query strings (URL-encoded), so the access line logs the path without the query string (`%(U)s`, not
`%(r)s`) and without the referrer (a previous page's URL), and both loggers carry the personal-data
filter of Django's LOGGING (privacy/log_redaction.py) for anything else (§22).
"""

# Client, time, method, path WITHOUT the query string, protocol, status, size, duration (µs), agent.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(D)s "%(a)s"'
accesslog = "-"
errorlog = "-"

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "privacy.log_redaction.PersonalDataLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["personal_data"],
        },
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
            "filters": ["personal_data"],
        },
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}
