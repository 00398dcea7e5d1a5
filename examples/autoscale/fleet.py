#!/usr/bin/env python3
"""A fleet's history for audits at scale: 100 services x 4 instances, a CPU sample per instance every 15 s, ending now.

Usage: examples/autoscale/fleet.py HOURS OUT.ndjson, then ./ballast produce --file OUT.ndjson.
Each service has a policy (CPU 70 %, min 2, max 20, 60 s scale-down window) and starts at 4 replicas; its load is a
sine wave (period 20, 30 or 60 min) with +-0.03 cores of noise per instance. The seed is fixed: the same HOURS give the
same values (the times follow the clock)."""
import json, math, random, sys, time

hours = float(sys.argv[1])
path = sys.argv[2]
random.seed(7)
step = 15_000
now = int(time.time() * 1000) // step * step
steps = int(hours * 3600_000) // step
start = now - steps * step
services = [f"svc-{i:03d}" for i in range(100)]
with open(path, 'w') as out:
    for s in services:
        out.write(json.dumps({"service": s, "version": 1, "minReplicas": 2, "maxReplicas": 20,
                              "metrics": [{"name": "cpu", "source": "RESOURCE", "targetType": "UTILIZATION", "target": 70}],
                              "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}},
                              "envelope": {"occurredAt": start}}) + "\n")
        out.write(json.dumps({"service": s, "currentReplicas": 4, "desiredReplicas": 4, "readyReplicas": 4,
                              "envelope": {"occurredAt": start}}) + "\n")
    phase = {s: random.random() * 6.28 for s in services}
    period = {s: random.choice([1200, 1800, 3600]) for s in services}
    for k in range(steps):
        t = start + k * step
        for s in services:
            base = 0.35 + 0.25 * math.sin(phase[s] + 2 * math.pi * (t - start) / 1000 / period[s])
            for i in range(4):
                v = round(max(0.01, base + random.uniform(-0.03, 0.03)), 3)
                out.write(json.dumps({"service": s, "instance": f"{s}-{i}", "metric": "cpu", "value": v, "unit": "cores",
                                      "resourceRequest": 0.5, "envelope": {"occurredAt": t}}) + "\n")
print(f"{steps * 400 + 200} events from {start} to {now} (ms) in {path}")
