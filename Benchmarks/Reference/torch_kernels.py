#!/usr/bin/env python3
"""PyTorch reference kernels for the FedHPD-Swift side-by-side benchmark.

Times the three per-agent compute kernels of FedHPD for every policy architecture of the
reference's three agent sets (see fedhpd-reference.md, "Agent configurations"):

  inference  forward under torch.no_grad() -> softmax probabilities (discrete)
             or (mean, std) (Gaussian)
  reinforce  zero_grad + forward + backward of sum(-log pi(a|s) * G)
             (random actions and returns; Gaussian: -log N(a; mean, std) averaged over action dims)
  distill    zero_grad + forward + KL loss vs a fixed random consensus + backward + optimiser step
             (discrete: F.kl_div(log_softmax(logits), target, 'batchmean') with Adam;
              Gaussian: closed-form KL(local || global), mean over states and dims, with AdamW)

Run (from anywhere):
  python3 torch_kernels.py                           # full sweep, 1 thread, table to stdout
  python3 torch_kernels.py --threads 2 --json results/torch-kernels-2thread.json
  python3 torch_kernels.py --quick --filter cartpole  # short smoke run of a subset

Flags: --filter SUBSTRING (matched against set, architecture and mode), --quick, --threads T,
--json FILE (overwritten). Needs only torch and the standard library.

Timing: each case is warmed up, then timed call by call with time.perf_counter_ns (GC disabled); the
repetition count adapts so that a case takes roughly --budget seconds (0.5 s; --quick: 0.03 s).
Reported: median and minimum microseconds per call.

FLOP convention: only matrix multiplications are counted, 2*m*n*k each. Forward = every Linear layer
(heads included) once: F = sum 2*B*in*out. Backward counts 2x forward (weight gradient + input gradient
for every layer, including the first layer's input gradient, which autograd actually skips since the
input needs no grad). So inference = F, reinforce = distill = 3F. Softmax, activations, losses and the
optimiser's element-wise update are not counted.

roofline_fraction = (time of the same GEMM shapes alone, via torch.mm on preallocated operands in
nn.Linear's layouts, with out=, forward shapes for inference, forward + backward shapes otherwise) / (mode's time),
both medians. 1.0 would mean the mode costs no more than its bare matrix products; values slightly
above 1 happen (nn.Linear's fused addmm, autograd skipping the first layer's input gradient, noise).
"""

import argparse
import datetime
import gc
import json
import math
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# ----------------------------------------------------------------------------------------------
# Agent sets (fedhpd-reference.md, "Agent configurations"): (hidden sizes, activations, lr)
# ----------------------------------------------------------------------------------------------

CARTPOLE = [
    ([128], "relu", 1e-3), ([32, 32], "relu", 2e-3), ([16, 16, 32], "tanh", 4e-3),
    ([8, 8, 8], "relu", 5e-4), ([32, 32, 32], "tanh", 3e-3), ([8, 8], "relu", 7e-4),
    ([64, 64], "tanh", 1e-3), ([16, 16], "relu", 5e-4), ([16, 32, 16], "tanh", 5e-4),
    ([32], "relu", 8e-4),
]
LUNARLANDER = [
    ([128, 128, 256], "relu", 5e-4), ([64, 64], "relu", 1e-3), ([128, 128], "tanh", 4e-4),
    ([128, 256], "relu", 6e-4), ([256, 256], "tanh", 3e-4), ([512], "relu", 4e-4),
    ([64, 128, 64], "tanh", 5e-4), ([32, 32], "relu", 1e-3), ([512, 512], "tanh", 2e-4),
    ([1024], "relu", 1e-4),
]
INVERTEDPENDULUM = [  # per-layer activations
    ([16, 32], ["tanh", "tanh"], 1e-4), ([32, 32], ["relu", "relu"], 1e-4),
    ([64, 128], ["tanh", "relu"], 6e-5), ([128, 256], ["relu", "relu"], 1e-5),
    ([32, 64], ["relu", "tanh"], 1e-4), ([64, 64], ["tanh", "tanh"], 8e-5),
    ([128, 128], ["relu", "relu"], 4e-5), ([64, 32], ["tanh", "relu"], 7e-5),
    ([256, 128], ["tanh", "tanh"], 2e-5), ([32, 128], ["relu", "relu"], 5e-5),
]

# set name -> (configs, input dim, output dim, kind, batch sizes)
SETS = {
    "cartpole": (CARTPOLE, 4, 2, "discrete", [1, 200, 2500, 5000]),
    "lunarlander": (LUNARLANDER, 8, 4, "discrete", [1, 200, 2500, 10000]),
    "invertedpendulum": (INVERTEDPENDULUM, 4, 1, "gaussian", [1, 200, 2500, 5000]),
}
MODES = ["inference", "reinforce", "distill"]

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh}


def arch_label(hidden, acts):
    sizes = "[" + ",".join(str(h) for h in hidden) + "]"
    return f"{sizes} {acts if isinstance(acts, str) else ','.join(acts)}"


# ----------------------------------------------------------------------------------------------
# Policies (same structure as the reference's)
# ----------------------------------------------------------------------------------------------

def mlp(in_dim, hidden, acts):
    if isinstance(acts, str):
        acts = [acts] * len(hidden)
    layers, d = [], in_dim
    for h, a in zip(hidden, acts):
        layers += [nn.Linear(d, h), ACTIVATIONS[a]()]
        d = h
    return nn.Sequential(*layers), d


class DiscretePolicy(nn.Module):
    """MLP -> Linear(actions); the caller applies (log_)softmax."""

    def __init__(self, in_dim, hidden, acts, n_actions):
        super().__init__()
        self.body, d = mlp(in_dim, hidden, acts)
        self.head = nn.Linear(d, n_actions)

    def forward(self, x):
        return self.head(self.body(x))


class GaussianPolicy(nn.Module):
    """Shared MLP -> mean head (Linear) and std head (Linear -> softplus)."""

    def __init__(self, in_dim, hidden, acts, action_dim):
        super().__init__()
        self.body, d = mlp(in_dim, hidden, acts)
        self.mean_head = nn.Linear(d, action_dim)
        self.std_head = nn.Linear(d, action_dim)

    def forward(self, x):
        h = self.body(x)
        return self.mean_head(h), F.softplus(self.std_head(h))


def linear_shapes(model):
    """(in, out) of every Linear in forward order."""
    return [(m.in_features, m.out_features) for m in model.modules() if isinstance(m, nn.Linear)]


# ----------------------------------------------------------------------------------------------
# The three modes: each builder returns a zero-argument callable doing one call of the mode
# ----------------------------------------------------------------------------------------------

HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def gaussian_nll(mean, std, a):
    """-log N(a; mean, std), element-wise (closed form, no torch.distributions overhead)."""
    z = (a - mean) / std
    return 0.5 * z * z + torch.log(std) + HALF_LOG_2PI


def gaussian_kl(mean_l, std_l, mean_g, std_g):
    """KL(N(mean_l, std_l) || N(mean_g, std_g)), element-wise."""
    return (torch.log(std_g / std_l)
            + (std_l * std_l + (mean_l - mean_g) ** 2) / (2.0 * std_g * std_g) - 0.5)


def build_case(kind, model, in_dim, out_dim, batch, mode, lr, gen):
    x = torch.randn(batch, in_dim, generator=gen)
    returns = torch.randn(batch, generator=gen)

    if mode == "inference":
        if kind == "discrete":
            def run():
                with torch.no_grad():
                    return torch.softmax(model(x), dim=1)
        else:
            def run():
                with torch.no_grad():
                    return model(x)
        return run

    if mode == "reinforce":
        if kind == "discrete":
            actions = torch.randint(0, out_dim, (batch, 1), generator=gen)

            def run():
                model.zero_grad()
                logp = F.log_softmax(model(x), dim=1).gather(1, actions).squeeze(1)
                loss = (-logp * returns).sum()
                loss.backward()
        else:
            actions = torch.randn(batch, out_dim, generator=gen)

            def run():
                model.zero_grad()
                mean, std = model(x)
                nll = gaussian_nll(mean, std, actions).mean(dim=1)
                loss = (nll * returns).sum()
                loss.backward()
        return run

    if mode == "distill":
        if kind == "discrete":
            target = torch.softmax(torch.randn(batch, out_dim, generator=gen), dim=1)
            opt = torch.optim.Adam(model.parameters(), lr=lr)

            def run():
                opt.zero_grad()
                loss = F.kl_div(F.log_softmax(model(x), dim=1), target, reduction="batchmean")
                loss.backward()
                opt.step()
        else:
            mean_g = torch.randn(batch, out_dim, generator=gen)
            std_g = F.softplus(torch.randn(batch, out_dim, generator=gen)) + 0.05
            opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)

            def run():
                opt.zero_grad()
                mean, std = model(x)
                loss = gaussian_kl(mean, std, mean_g, std_g).mean()
                loss.backward()
                opt.step()
        return run

    raise ValueError(mode)


def build_gemm(shapes, batch, backward):
    """Bare torch.mm calls with the forward (and backward) GEMM shapes and operand layouts that
    nn.Linear and its autograd use (weight stored [out, in])."""
    ops = []
    for (k, n) in shapes:
        x, w, gout = torch.randn(batch, k), torch.randn(n, k), torch.randn(batch, n)
        ops.append((x, w.t(), torch.empty(batch, n)))            # forward:     x @ W^T
        if backward:
            ops.append((gout.t(), x, torch.empty(n, k)))          # weight grad: gout^T @ x
            ops.append((gout, w, torch.empty(batch, k)))          # input grad:  gout @ W

    def run():
        for a, b, c in ops:
            torch.mm(a, b, out=c)
    return run


# ----------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------

def time_calls(fn, budget_s, min_reps, max_reps=200_000):
    """Warm up, pick a repetition count filling ~budget_s, return per-call times in microseconds."""
    for _ in range(3):
        fn()
    t0 = time.perf_counter()
    n_probe = 0
    while n_probe < 3 or (time.perf_counter() - t0 < 0.05 * budget_s and n_probe < 10_000):
        fn()
        n_probe += 1
    per_call = (time.perf_counter() - t0) / n_probe
    reps = int(min(max_reps, max(min_reps, budget_s / max(per_call, 1e-9))))
    samples = []
    clock = time.perf_counter_ns
    gc.disable()
    try:
        for _ in range(reps):
            t = clock()
            fn()
            samples.append(clock() - t)
    finally:
        gc.enable()
    return [s / 1000.0 for s in samples]


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip() + f" ({os.cpu_count()} logical CPUs)"
    except OSError:
        pass
    return platform.processor() or platform.machine()


def library_name():
    cfg = torch.__config__.show()
    parts = []
    if torch.backends.mkl.is_available():
        ver = next((l.split("Version")[1].split("-")[0].strip() for l in cfg.splitlines()
                    if "Math Kernel Library" in l), "")
        parts.append(f"mkl {ver}".strip())
    if torch.backends.mkldnn.is_available():
        ver = next((l.split("MKL-DNN")[1].split("(")[0].strip() for l in cfg.splitlines()
                    if "MKL-DNN" in l), "")
        parts.append(f"onednn {ver}".strip())
    parts.append(f"cpu capability {torch.backends.cpu.get_cpu_capability()}")
    return f"pytorch {torch.__version__} ({', '.join(parts)})"


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--filter", default=None, help="substring of set, architecture or mode")
    ap.add_argument("--quick", action="store_true", help="short timing budget per case")
    ap.add_argument("--budget", type=float, default=None, help="seconds per case (default 0.5, quick 0.03)")
    ap.add_argument("--json", default=None, help="write results JSON here (overwritten)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    budget = args.budget if args.budget is not None else (0.03 if args.quick else 0.5)
    min_reps = 3 if args.quick else 7
    gen = torch.Generator().manual_seed(1234)
    torch.manual_seed(1234)

    records = []
    gemm_cache = {}  # (set, arch, batch, backward) -> median us
    header = (f"{'set':<17} {'architecture':<22} {'batch':>6} {'mode':<10} "
              f"{'median_us':>12} {'min_us':>12} {'GFLOP/s':>8} {'roofline':>8}")
    print(f"# {library_name()}; threads={torch.get_num_threads()}; budget {budget}s/case")
    print(header)
    print("-" * len(header))
    sys.stdout.flush()

    for set_name, (configs, in_dim, out_dim, kind, batches) in SETS.items():
        for hidden, acts, lr in configs:
            arch = arch_label(hidden, acts)
            for batch in batches:
                for mode in MODES:
                    if args.filter and not any(args.filter in s for s in
                                               (set_name, arch, mode, f"{set_name} {arch} {mode}")):
                        continue
                    cls = DiscretePolicy if kind == "discrete" else GaussianPolicy
                    model = cls(in_dim, hidden, acts, out_dim)
                    shapes = linear_shapes(model)
                    fwd_flops = sum(2.0 * batch * k * n for k, n in shapes)
                    flops = fwd_flops if mode == "inference" else 3.0 * fwd_flops

                    run = build_case(kind, model, in_dim, out_dim, batch, mode, lr, gen)
                    t = time_calls(run, budget, min_reps)
                    med, mn = statistics.median(t), min(t)

                    backward = mode != "inference"
                    key = (set_name, arch, batch, backward)
                    if key not in gemm_cache:
                        g = time_calls(build_gemm(shapes, batch, backward), budget, min_reps)
                        gemm_cache[key] = statistics.median(g)
                    roof = gemm_cache[key] / med

                    rec = {"set": set_name, "architecture": arch, "batch": batch, "mode": mode,
                           "threads": args.threads, "median_us": round(med, 3), "min_us": round(mn, 3),
                           "gflops": round(flops / (med * 1e3), 4),
                           "roofline_fraction": round(roof, 4), "allocations": None}
                    records.append(rec)
                    print(f"{set_name:<17} {arch:<22} {batch:>6} {mode:<10} {med:>12.2f} {mn:>12.2f} "
                          f"{rec['gflops']:>8.2f} {roof:>8.3f}")
                    sys.stdout.flush()

    if args.json:
        out = {"meta": {"cpu": cpu_name(), "library": library_name(), "threads": args.threads,
                        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                        "python": platform.python_version(), "budget_s_per_case": budget,
                        "quick": args.quick, "filter": args.filter,
                        "notes": "2-core shared VM with concurrent builds: timings are noisy. "
                                 "FLOPs: matmuls only, forward 1x, backward 2x forward."},
               "records": records}
        d = os.path.dirname(os.path.abspath(args.json))
        os.makedirs(d, exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
        print(f"wrote {len(records)} records to {args.json}")


if __name__ == "__main__":
    main()
