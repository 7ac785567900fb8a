#!/usr/bin/env python3
"""PyTorch twins of hybrid-lab's small presets, for throughput comparisons on the same machine.

Each model mirrors the Java architecture (same layers, widths and parameter counts: `params`
prints them so the Java side can check); numerics are PyTorch's own. `bench` times training
steps (AdamW) and inference batches on random data after a warm-up, like `experiments bench`.

  python3 torch_compare.py params
  python3 torch_compare.py bench --model coatnet-nano-CCTT --batch 64 --threads 2
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- CoAtNet and ViT-REL
class SqueezeExcite(nn.Module):
    def __init__(self, ch, squeeze):
        super().__init__()
        self.fc1 = nn.Linear(ch, squeeze, bias=False)
        self.fc2 = nn.Linear(squeeze, ch, bias=False)

    def forward(self, x):
        s = torch.sigmoid(self.fc2(F.gelu(self.fc1(x.mean((2, 3))))))
        return x * s[:, :, None, None]


class MBConv(nn.Module):
    def __init__(self, cin, cout, down):
        super().__init__()
        hid = 4 * cin
        self.down = down
        self.norm = nn.BatchNorm2d(cin)
        self.proj = nn.Conv2d(cin, cout, 1, bias=False) if down else None
        self.expand = nn.Conv2d(cin, hid, 1, 2 if down else 1, bias=False)
        self.bn1 = nn.BatchNorm2d(hid)
        self.dw = nn.Conv2d(hid, hid, 3, 1, 1, groups=hid, bias=False)
        self.bn2 = nn.BatchNorm2d(hid)
        self.se = SqueezeExcite(hid, cin // 4)
        self.project = nn.Conv2d(hid, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)

    def forward(self, x):
        y = F.gelu(self.bn1(self.expand(self.norm(x))))
        y = self.se(F.gelu(self.bn2(self.dw(y))))
        y = self.bn3(self.project(y))
        short = self.proj(F.max_pool2d(x, 3, 2, 1)) if self.down else x
        return short + y


class RelAttention(nn.Module):
    def __init__(self, cin, width, h, w, fusion, head_dim=32, table_scale=1.0):
        super().__init__()
        self.heads, self.d, self.fusion, self.table_scale = width // head_dim, head_dim, fusion, table_scale
        inner = self.heads * head_dim
        self.qkv = nn.Linear(cin, 3 * inner, bias=False)
        self.out = nn.Linear(inner, width)
        if fusion != "none":
            self.table = nn.Parameter(torch.zeros((2 * h - 1) * (2 * w - 1), self.heads))
            ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
            pos = torch.stack([ys.flatten(), xs.flatten()])
            rel = pos[:, :, None] - pos[:, None, :]
            self.register_buffer("index", (rel[0] + h - 1) * (2 * w - 1) + rel[1] + w - 1, persistent=False)

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, self.d).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.d)
        bias = None if self.fusion == "none" else self.table_scale * self.table[self.index].permute(2, 0, 1)[None]
        if self.fusion == "pre":
            a = torch.softmax(scores + bias, -1)
        elif self.fusion == "post":
            a = torch.softmax(scores, -1) + bias
        else:
            a = torch.softmax(scores, -1)
        return self.out((a @ v).transpose(1, 2).reshape(b, n, -1))


class TBlock(nn.Module):
    """Takes (B, C, H, W) or tokens; returns tokens at side x side."""

    def __init__(self, cin, cout, side, down, fusion, head_dim=32, table_scale=1.0):
        super().__init__()
        self.down, self.side = down, side
        self.proj = nn.Conv2d(cin, cout, 1, bias=False) if down else None
        self.ln1 = nn.LayerNorm(cin)
        self.attn = RelAttention(cin, cout, side, side, fusion, head_dim, table_scale)
        self.ln2 = nn.LayerNorm(cout)
        self.ffn = nn.Sequential(nn.Linear(cout, 4 * cout), nn.GELU(), nn.Linear(4 * cout, cout))

    def forward(self, x):
        if self.down:
            if x.dim() == 3:
                s = int(math.isqrt(x.shape[1]))
                x = x.transpose(1, 2).reshape(x.shape[0], -1, s, s)
            p = F.max_pool2d(x, 3, 2, 1)
            t, short = p.flatten(2).transpose(1, 2), self.proj(p).flatten(2).transpose(1, 2)
        else:
            t = x.flatten(2).transpose(1, 2) if x.dim() == 4 else x
            short = t
        y = short + self.attn(self.ln1(t))
        return y + self.ffn(self.ln2(y))


class CoAtNetNano(nn.Module):
    def __init__(self, layout, fusion="pre"):
        super().__init__()
        d, depth = [16, 32, 64, 128, 256], [2, 2, 2, 2, 1]
        self.stem = nn.Sequential(nn.Conv2d(1, d[0], 3, 1, 1, bias=False), nn.BatchNorm2d(d[0]), nn.GELU(),
                                  nn.Conv2d(d[0], d[0], 3, 1, 1, bias=False), nn.BatchNorm2d(d[0]), nn.GELU())
        blocks, side = [], 32
        for s in range(1, 5):
            side //= 2
            for b in range(depth[s]):
                cin = d[s - 1] if b == 0 else d[s]
                blocks.append(MBConv(cin, d[s], b == 0) if layout[s - 1] == "C" else TBlock(cin, d[s], side, b == 0, fusion))
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(d[4], 10)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(x.mean(1) if x.dim() == 3 else x.mean((2, 3)))


class ViTRelNano(nn.Module):
    def __init__(self, fusion="pre", dim=96, depth=4, patch=4, head_dim=8, table_scale=100.0):
        super().__init__()
        self.stem = nn.Conv2d(1, dim, patch, patch)
        self.blocks = nn.Sequential(*[TBlock(dim, dim, 32 // patch, False, fusion, head_dim, table_scale)
                                      for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 10)

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.stem(x))).mean(1))


# ---------------------------------------------------------------- CoaT
def tokens_to_map(t, side):
    return t.transpose(1, 2).reshape(t.shape[0], -1, side, side)


class CPE(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Conv2d(dim, dim, 3, 1, 1, groups=dim)

    def forward(self, x, side):
        m = tokens_to_map(x[:, 1:], side)
        return torch.cat([x[:, :1], (self.proj(m) + m).flatten(2).transpose(1, 2)], 1)


class CRPE(nn.Module):
    def __init__(self, head_dim, windows):
        super().__init__()
        self.splits = [heads * head_dim for heads in windows.values()]
        self.convs = nn.ModuleList(nn.Conv2d(c, c, w, 1, w // 2, groups=c) for w, c in zip(windows, self.splits))

    def forward(self, q, v, side):  # (B, N, C) each
        parts = torch.split(tokens_to_map(v[:, 1:], side), self.splits, 1)
        conv = torch.cat([c(p) for c, p in zip(self.convs, parts)], 1).flatten(2).transpose(1, 2)
        ev = q[:, 1:] * conv
        return torch.cat([torch.zeros_like(ev[:, :1]), ev], 1)


class FactorAtt(nn.Module):
    def __init__(self, dim, heads, crpe):
        super().__init__()
        self.heads, self.crpe = heads, crpe
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x, side):
        b, n, c = x.shape
        t = self.qkv(x)
        q, k, v = t.view(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        y = (q @ (torch.softmax(k, 2).transpose(-1, -2) @ v)) / math.sqrt(c // self.heads)
        y = y.transpose(1, 2).reshape(b, n, c)
        if self.crpe is not None:
            y = y + self.crpe(t[..., :c], t[..., 2 * c:], side)
        return self.proj(y)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Serial(nn.Module):
    def __init__(self, dim, heads, ratio, cpe, crpe):
        super().__init__()
        self.cpe = cpe
        self.norm1, self.norm2 = nn.LayerNorm(dim, eps=1e-6), nn.LayerNorm(dim, eps=1e-6)
        self.att, self.mlp = FactorAtt(dim, heads, crpe), Mlp(dim, dim * ratio)

    def forward(self, x, side):
        x = self.cpe(x, side)
        x = x + self.att(self.norm1(x), side)
        return x + self.mlp(self.norm2(x))


def resize_tokens(x, side_from, side_to):
    m = F.interpolate(tokens_to_map(x[:, 1:], side_from), size=(side_to, side_to), mode="bilinear", align_corners=False)
    return torch.cat([x[:, :1], m.flatten(2).transpose(1, 2)], 1)


class Parallel(nn.Module):
    def __init__(self, dim, heads, ratio, cpes, crpes):
        super().__init__()
        self.cpes = cpes
        self.norm1 = nn.ModuleList(nn.LayerNorm(dim, eps=1e-6) for _ in range(3))
        self.att = nn.ModuleList(FactorAtt(dim, heads, c) for c in crpes)
        self.norm2 = nn.ModuleList(nn.LayerNorm(dim, eps=1e-6) for _ in range(3))
        self.mlp = Mlp(dim, dim * ratio)

    def forward(self, xs, sides):
        xs = [cpe(x, s) for cpe, x, s in zip(self.cpes, xs, sides)]
        cur = [a(n(x), s) for a, n, x, s in zip(self.att, self.norm1, xs, sides)]
        mixed = [sum(cur[j] if j == i else resize_tokens(cur[j], sides[j], sides[i]) for j in range(3)) for i in range(3)]
        xs = [x + m for x, m in zip(xs, mixed)]
        return [x + self.mlp(n(x)) for x, n in zip(xs, self.norm2)]


class CoaTNano(nn.Module):
    def __init__(self, dims, serial, parallel, heads=4, windows=None):
        super().__init__()
        windows = windows or {3: 1, 5: 2, 7: 1}
        self.embeds = nn.ModuleList(nn.Conv2d(cin, d, 2, 2) for cin, d in zip([1] + dims[:3], dims))
        self.embed_norms = nn.ModuleList(nn.LayerNorm(d) for d in dims)
        self.cls = nn.ParameterList(nn.Parameter(torch.zeros(1, 1, d)) for d in dims)
        self.cpes = nn.ModuleList(CPE(d) for d in dims)
        self.crpes = nn.ModuleList(CRPE(d // heads, windows) for d in dims)
        self.stages = nn.ModuleList(nn.ModuleList(Serial(d, heads, 4, self.cpes[s], self.crpes[s]) for _ in range(serial[s]))
                                    for s, d in enumerate(dims))
        self.parallel = nn.ModuleList(Parallel(dims[1], heads, 4, list(self.cpes[1:]), list(self.crpes[1:]))
                                      for _ in range(parallel))
        if parallel:
            self.norms = nn.ModuleList(nn.LayerNorm(d, eps=1e-6) for d in dims[1:])
            self.aggregate = nn.Conv1d(3, 1, 1)
        else:
            self.norms = nn.ModuleList([nn.LayerNorm(dims[3], eps=1e-6)])
        self.head = nn.Linear(dims[3], 10)

    def forward(self, x):
        b, tokens, sides, side = x.shape[0], [], [], 32
        for s in range(4):
            side //= 2
            t = self.embed_norms[s](self.embeds[s](x).flatten(2).transpose(1, 2))
            t = torch.cat([self.cls[s].expand(b, -1, -1), t], 1)
            for blk in self.stages[s]:
                t = blk(t, side)
            tokens.append(t)
            sides.append(side)
            x = tokens_to_map(t[:, 1:], side)
        if not len(self.parallel):
            return self.head(self.norms[0](tokens[3])[:, 0])
        xs = tokens[1:]
        for blk in self.parallel:
            xs = blk(xs, sides[1:])
        cls = torch.cat([n(t)[:, :1] for n, t in zip(self.norms, xs)], 1)
        return self.head(self.aggregate(cls).squeeze(1))


# ---------------------------------------------------------------- ViTAE
class PRM(nn.Module):
    def __init__(self, cin, embed, k, stride, dilations):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(cin, embed, k, stride, math.ceil(((k - 1) * d + 1 - stride) / 2), d)
                                   for d in dilations)

    def forward(self, x):
        return torch.cat([F.gelu(c(x)) for c in self.convs], 1).flatten(2).transpose(1, 2)


class TokenAttention(nn.Module):
    def __init__(self, cin, width, heads, value_residual):
        super().__init__()
        self.heads, self.width, self.value_residual = heads, width, value_residual
        self.qkv, self.proj = nn.Linear(cin, 3 * width, bias=False), nn.Linear(width, width)

    def forward(self, x):
        b, n, _ = x.shape
        t = self.qkv(x)
        q, k, v = t.view(b, n, 3, self.heads, self.width // self.heads).permute(2, 0, 3, 1, 4)
        a = torch.softmax((q @ k.transpose(-1, -2)) / math.sqrt(self.width // self.heads), -1)
        y = self.proj((a @ v).transpose(1, 2).reshape(b, n, self.width))
        return t[..., 2 * self.width:] + y if self.value_residual else y


class ReductionCell(nn.Module):
    def __init__(self, cin, embed, tokens, ratio, dilations, heads):
        super().__init__()
        strides, r = [], ratio // 2
        for _ in range(3):
            strides.append(2 if r > 0 else 1)
            r //= 2
        self.pcm = nn.Sequential(nn.Conv2d(cin, embed, 3, strides[0], 1), nn.SiLU(),
                                 nn.Conv2d(embed, embed, 3, strides[1], 1), nn.BatchNorm2d(embed), nn.SiLU(),
                                 nn.Conv2d(embed, tokens, 3, strides[2], 1), nn.SiLU())
        self.prm = PRM(cin, embed, 3, ratio, dilations)
        pyr = embed * len(dilations)
        self.norm1, self.attn = nn.LayerNorm(pyr), TokenAttention(pyr, tokens, heads, True)
        self.norm2, self.mlp = nn.LayerNorm(tokens), Mlp(tokens, tokens)

    def forward(self, x):
        t = self.attn(self.norm1(self.prm(x))) + self.pcm(x).flatten(2).transpose(1, 2)
        return t + self.mlp(self.norm2(t))


class NormalCell(nn.Module):
    def __init__(self, dim, heads, hidden, groups, side):
        super().__init__()
        self.side = side
        self.norm1, self.attn = nn.LayerNorm(dim, eps=1e-6), TokenAttention(dim, dim, heads, False)
        self.norm2, self.mlp = nn.LayerNorm(dim, eps=1e-6), Mlp(dim, hidden)
        self.pcm = nn.Sequential(nn.Conv2d(dim, hidden, 3, 1, 1, groups=groups), nn.BatchNorm2d(hidden), nn.SiLU(),
                                 nn.Conv2d(hidden, dim, 3, 1, 1, groups=groups), nn.BatchNorm2d(dim), nn.SiLU(),
                                 nn.Conv2d(dim, dim, 3, 1, 1, groups=groups), nn.SiLU())

    def forward(self, x):
        conv = self.pcm(tokens_to_map(x[:, 1:], self.side)).flatten(2).transpose(1, 2)
        x = x + self.attn(self.norm1(x)) + torch.cat([torch.zeros_like(x[:, :1]), conv], 1)
        return x + self.mlp(self.norm2(x))


class ViTAENano(nn.Module):
    def __init__(self):
        super().__init__()
        self.cells = nn.ModuleList([ReductionCell(1, 16, 32, 2, [1, 2, 3], 1), ReductionCell(32, 32, 64, 2, [1, 2], 1)])
        self.cls = nn.Parameter(torch.zeros(1, 1, 64))
        pos = torch.arange(65)[:, None] / torch.pow(10000, 2 * (torch.arange(64) // 2) / 64)[None]
        self.register_buffer("pos", torch.where(torch.arange(64) % 2 == 0, torch.sin(pos), torch.cos(pos))[None])
        self.blocks = nn.Sequential(*[NormalCell(64, 2, 128, 16, 8) for _ in range(4)])
        self.norm, self.head = nn.LayerNorm(64, eps=1e-6), nn.Linear(64, 10)

    def forward(self, x):
        t = self.cells[0](x)
        t = self.cells[1](tokens_to_map(t, 16))
        t = torch.cat([self.cls.expand(x.shape[0], -1, -1), t], 1) + self.pos
        return self.head(self.norm(self.blocks(t))[:, 0])


MODELS = {
    **{f"coatnet-nano-{l}": (lambda l=l: CoAtNetNano(l)) for l in ["CCCC", "CCCT", "CCTT", "CTTT"]},
    "vit-rel-nano": ViTRelNano,
    "coat-lite-nano": lambda: CoaTNano([32, 64, 128, 160], [2, 2, 2, 2], 0),
    "coat-nano": lambda: CoaTNano([32, 64, 64, 64], [1, 1, 1, 1], 2),
    "vitae-nano": ViTAENano,
}


def sgemm(a):
    """The machine's SGEMM ceiling through PyTorch's BLAS (OpenBLAS on Debian): best of several n x n products."""
    torch.set_num_threads(a.threads)
    x, y = torch.randn(a.n, a.n), torch.randn(a.n, a.n)
    for _ in range(3):
        x @ y
    best = 0.0
    for _ in range(a.repeats):
        t = time.perf_counter()
        x @ y
        best = max(best, 2 * a.n ** 3 / (time.perf_counter() - t) / 1e9)
    print(json.dumps({"n": a.n, "threads": a.threads, "torch": torch.__version__, "gflops": round(best, 1)}))


def params(_):
    print(json.dumps({name: sum(p.numel() for p in make().parameters()) for name, make in MODELS.items()}))


def bench(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = MODELS[a.model]()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)
    x, y = torch.randn(a.batch, 1, 32, 32), torch.randint(0, 10, (a.batch,))

    def train_step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    def timed(step):
        for _ in range(a.warmup):
            step()
        t = time.perf_counter()
        for _ in range(a.steps):
            step()
        return a.batch * a.steps / (time.perf_counter() - t)

    model.train()
    train = timed(train_step)
    model.eval()
    with torch.no_grad():
        infer = timed(lambda: model(x))
    print(json.dumps({"model": a.model, "batch": a.batch, "threads": a.threads, "torch": torch.__version__,
                      "train_img_s": round(train, 1), "infer_img_s": round(infer, 1)}))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("params")
    b = sub.add_parser("bench")
    b.add_argument("--model", required=True, choices=sorted(MODELS))
    b.add_argument("--batch", type=int, default=64)
    b.add_argument("--threads", type=int, default=2)
    b.add_argument("--steps", type=int, default=20)
    b.add_argument("--warmup", type=int, default=5)
    g = sub.add_parser("sgemm")
    g.add_argument("--n", type=int, default=2048)
    g.add_argument("--threads", type=int, default=2)
    g.add_argument("--repeats", type=int, default=10)
    a = p.parse_args()
    {"params": params, "bench": bench, "sgemm": sgemm}[a.cmd](a)
