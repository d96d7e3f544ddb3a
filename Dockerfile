# The portal's image: the same gunicorn, settings and system packages as deploy/staffroom.service.
#   docker build -t staffroom .
#   docker run -p 8000:8000 --env-file staffroom.env staffroom
# The database migrations run before gunicorn starts (as the systemd unit's ExecStartPre does).
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries and the fonts of both languages (the documents print Chinese).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk fonts-noto-color-emoji libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/staffroom \
        --shell /usr/sbin/nologin staffroom

# The portal runs from its source tree, as from a checkout: migrations/ sits beside portal/.
# The editable install brings the dependencies and compiles the translations in place.
WORKDIR /opt/staffroom
COPY pyproject.toml setup.py README.md app.py ./
COPY portal ./portal
COPY migrations ./migrations
COPY deploy ./deploy
RUN pip install --no-cache-dir -e .

ENV PORTAL_INSTANCE_PATH=/var/lib/staffroom \
    PORTAL_BIND=0.0.0.0:8000 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["sh", "-c", "flask --app app db upgrade && exec gunicorn --config deploy/gunicorn.conf.py app:app"]
