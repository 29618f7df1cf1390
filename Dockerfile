# The dashboard as one container: `docker build -t qantar .` then
# `docker run -p 8501:8501 qantar`, or several replicas behind nginx with compose.yaml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 qantar
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=qantar:qantar . .
USER qantar

EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"]
# No file watcher: it polls the app's files for every open session, and they never change here.
CMD ["python", "-m", "streamlit", "run", "dashboard.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.fileWatcherType", "none"]
