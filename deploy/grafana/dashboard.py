#!/usr/bin/env python3
"""Writes dashboards/sextant.json, the Grafana dashboard of the platform: python3 deploy/grafana/dashboard.py.

Every expression uses metrics the services export; SextantDashboardTest (monitoring) checks the file is current,
and the monitoring integration test checks that monitoring's metrics named here exist."""
import json
import os

ds = {"type": "prometheus", "uid": "sextant-prometheus"}
panels = []


def panel(title, exprs, x, y, w=12, h=8, kind="timeseries", unit=None, desc=""):
    p = {"id": len(panels) + 1, "type": kind, "title": title, "description": desc, "datasource": ds,
         "gridPos": {"x": x, "y": y, "w": w, "h": h},
         "targets": [{"refId": chr(65 + i), "datasource": ds, "expr": e, "legendFormat": l}
                     for i, (e, l) in enumerate(exprs)],
         "fieldConfig": {"defaults": {"unit": unit} if unit else {}, "overrides": []}, "options": {}}
    panels.append(p)


def row(title, y):
    panels.append({"id": len(panels) + 1, "type": "row", "title": title, "collapsed": False,
                   "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []})


services = "gateway|prediction-service|feature-store|model-registry|training-orchestrator|monitoring"
row("Platform", 0)
panel("Services up", [('up{job=~"%s"}' % services, "{{job}}")], 0, 1, w=8, kind="stat",
      desc="1 when the service answers its metrics scrape.")
panel("Requests per second by service",
      [("sum by (application) (rate(http_server_requests_seconds_count[1m]))", "{{application}}")], 8, 1, w=8,
      unit="reqps")
panel("Server errors (5xx) by service",
      [('sum by (application) (rate(http_server_requests_seconds_count{status=~"5.."}[1m]))', "{{application}}")],
      16, 1, w=8, unit="reqps")
row("Serving latency", 9)
panel("Gateway latency", [
    ("histogram_quantile(0.5, sum by (le) (rate(spring_cloud_gateway_requests_seconds_bucket[1m])))", "p50"),
    ("histogram_quantile(0.99, sum by (le) (rate(spring_cloud_gateway_requests_seconds_bucket[1m])))", "p99")],
      0, 10, w=8, unit="s")
panel("Prediction latency by model", [
    ("histogram_quantile(0.5, sum by (le, model) (rate(sextant_prediction_requests_seconds_bucket[1m])))",
     "p50 {{model}}"),
    ("histogram_quantile(0.99, sum by (le, model) (rate(sextant_prediction_requests_seconds_bucket[1m])))",
     "p99 {{model}}")], 8, 10, w=8, unit="s",
      desc="End to end in the prediction service: features, queue, inference, logging.")
panel("Inference and feature reads", [
    ("histogram_quantile(0.99, sum by (le, model) (rate(sextant_prediction_inference_seconds_bucket[1m])))",
     "inference p99 {{model}}"),
    ("histogram_quantile(0.99, sum by (le) (rate(sextant_features_online_read_seconds_bucket[1m])))",
     "online feature read p99"),
    ("histogram_quantile(0.99, sum by (le) (rate(sextant_prediction_queue_seconds_bucket[1m])))",
     "batching queue p99")], 16, 10, w=8, unit="s")
row("Models", 18)
panel("Traffic by model version",
      [("sum by (model, version) (rate(sextant_prediction_requests_seconds_count[1m]))", "{{model}} v{{version}}")],
      0, 19, w=8, unit="reqps")
panel("Loaded model versions", [("sextant_prediction_model_loaded", "{{model}} v{{version}}")], 8, 19, w=8,
      kind="table")
panel("Online ROC-AUC (delayed labels)",
      [('sextant_monitoring_performance{metric="roc_auc"}', "{{model}} v{{version}}")], 16, 19, w=8)
row("Drift and data quality", 27)
panel("Drift severity by feature (0 ok, 1 warn, 2 alert)",
      [("max by (model, version, feature) (sextant_monitoring_drift_severity)",
        "{{model}} v{{version}} {{feature}}")], 0, 28, w=8, kind="state-timeline")
panel("PSI by feature", [('sextant_monitoring_drift{statistic="psi"}', "{{model}} v{{version}} {{feature}}")],
      8, 28, w=8,
      desc="Population stability index of each window against the version's training reference; "
           "0.1 warn, 0.25 alert.")
panel("Kolmogorov-Smirnov by feature",
      [('sextant_monitoring_drift{statistic="ks"}', "{{model}} v{{version}} {{feature}}")], 16, 28, w=8)
panel("Training/serving skew severity by feature (first served predictions of each version)",
      [("max by (model, version, feature) (sextant_monitoring_skew_severity)",
        "{{model}} v{{version}} {{feature}}")], 0, 52, w=24, kind="table")
panel("Data quality rates", [("sextant_monitoring_quality", "{{model}} v{{version}} {{feature}} {{rate}}")],
      0, 36, w=12, unit="percentunit")
panel("Prediction logs consumed by monitoring", [
    ("sum by (outcome) (rate(sextant_monitoring_logs_total[1m]))", "{{outcome}}"),
    ("sum (rate(sextant_prediction_logs_dropped_total[1m]))", "dropped by the prediction service")],
      12, 36, w=12, unit="ops")
row("Features and training", 44)
panel("Streaming feature freshness p99",
      [("histogram_quantile(0.99, sum by (le, view) (rate(sextant_features_stream_freshness_seconds_bucket[5m])))",
        "{{view}}")], 0, 45, w=8, unit="s")
panel("Training jobs by outcome", [("sum by (outcome) (increase(sextant_training_jobs_total[1h]))", "{{outcome}}")],
      8, 45, w=8, kind="bargauge")
panel("Retrain requests by outcome",
      [("sum by (outcome) (increase(sextant_training_retrain_requests_total[1h]))", "{{outcome}}")],
      16, 45, w=8, kind="bargauge")

dashboard = {
    "uid": "sextant-platform", "title": "Sextant platform", "tags": ["sextant"], "timezone": "browser",
    "schemaVersion": 39, "version": 1, "refresh": "10s", "time": {"from": "now-1h", "to": "now"},
    "editable": True,
    "description": "Every box of the Sextant diagram: health, rates, latency, model traffic, drift, data quality, "
                   "training. Generated by deploy/grafana/dashboard.py.",
    "templating": {"list": []}, "annotations": {"list": []}, "panels": panels}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards", "sextant.json")
with open(out, "w") as f:
    f.write(json.dumps(dashboard, indent=2) + "\n")
