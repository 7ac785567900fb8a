#!/usr/bin/env python3
"""PyTorch twins of hybrid-lab's small presets: throughput comparisons on the same machine, and a
numerical check of the Java models through their saved weights.

Each model computes the same function as the Java model of its preset, with the same layers,
widths and parameter counts (`params` prints them so the Java side can check) and the same
parameter names: a module's state_dict names are those of the Java module tree, so a
safetensors file saved by `hybridlab.nn.Safetensors` loads by name, with no map. Numerics are
PyTorch's own. `bench` times training steps (AdamW) and inference batches on random data after a
warm-up, like `experiments bench`. `logits` loads saved weights and prints the logits and mean
cross-entropy of a batch in eval mode (batch norm on its running statistics).

  python3 torch_compare.py params
  python3 torch_compare.py bench --model coatnet-nano-CCTT --batch 64 --threads 2
  python3 torch_compare.py logits --model coatnet-nano-CCTT --weights w.safetensors \
      --input images.f32 --labels 3,1,4,1 [--fusion post] [--threads 1]

`logits` reads the images as raw little-endian float32 in (batch, 1, 32, 32) order, batch = the
number of labels, and prints one JSON line {"model", "fusion", "batch", "torch", "logits" (batch
rows of 10), "loss"}. A bad file or argument is one `error:` line on standard error and exit code 2.
"""
import argparse
import array
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def refer(owner, name, module):
    """Keeps a module that the model owns and several blocks share (a CoaT stage's CPE and CRPE)
    without registering it in each block, so its weights have one name: the model's, as in Java."""
    object.__setattr__(owner, name, module)


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
    """conv: 0 expand, 1 BN, 3 depthwise, 4 BN, 6 SE, 7 project, 8 BN (the Java block's names)."""

    def __init__(self, cin, cout, down):
        super().__init__()
        hid = 4 * cin
        self.down = down
        self.norm = nn.BatchNorm2d(cin)
        self.proj = nn.Conv2d(cin, cout, 1, bias=False) if down else None
        self.conv = nn.Sequential(nn.Conv2d(cin, hid, 1, 2 if down else 1, bias=False), nn.BatchNorm2d(hid), nn.GELU(),
                                  nn.Conv2d(hid, hid, 3, 1, 1, groups=hid, bias=False), nn.BatchNorm2d(hid), nn.GELU(),
                                  SqueezeExcite(hid, cin // 4),
                                  nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        short = self.proj(F.max_pool2d(x, 3, 2, 1)) if self.down else x
        return short + self.conv(self.norm(x))


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
        self.s0 = nn.Sequential(nn.Conv2d(1, d[0], 3, 1, 1, bias=False), nn.BatchNorm2d(d[0]), nn.GELU(),
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
        x = self.blocks(self.s0(x))
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
        self.conv_list = nn.ModuleList(nn.Conv2d(c, c, w, 1, w // 2, groups=c) for w, c in zip(windows, self.splits))

    def forward(self, q, v, side):  # (B, N, C) each
        parts = torch.split(tokens_to_map(v[:, 1:], side), self.splits, 1)
        conv = torch.cat([c(p) for c, p in zip(self.conv_list, parts)], 1).flatten(2).transpose(1, 2)
        ev = q[:, 1:] * conv
        return torch.cat([torch.zeros_like(ev[:, :1]), ev], 1)


class FactorAtt(nn.Module):
    def __init__(self, dim, heads, crpe):
        super().__init__()
        self.heads = heads
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        refer(self, "crpe", crpe)

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
        refer(self, "cpe", cpe)
        self.norm1, self.norm2 = nn.LayerNorm(dim, eps=1e-6), nn.LayerNorm(dim, eps=1e-6)
        self.factoratt_crpe, self.mlp = FactorAtt(dim, heads, crpe), Mlp(dim, dim * ratio)

    def forward(self, x, side):
        x = self.cpe(x, side)
        x = x + self.factoratt_crpe(self.norm1(x), side)
        return x + self.mlp(self.norm2(x))


def resize_tokens(x, side_from, side_to):
    m = F.interpolate(tokens_to_map(x[:, 1:], side_from), size=(side_to, side_to), mode="bilinear", align_corners=False)
    return torch.cat([x[:, :1], m.flatten(2).transpose(1, 2)], 1)


class Parallel(nn.Module):
    """Over stages 2-4: norm12..14, factoratt_crpe2..4, norm22..24 and one MLP, mlp2, shared by the scales."""

    def __init__(self, dim, heads, ratio, cpes, crpes):
        super().__init__()
        self.cpes = tuple(cpes)
        for i, crpe in enumerate(crpes, 2):
            setattr(self, f"norm1{i}", nn.LayerNorm(dim, eps=1e-6))
            setattr(self, f"factoratt_crpe{i}", FactorAtt(dim, heads, crpe))
            setattr(self, f"norm2{i}", nn.LayerNorm(dim, eps=1e-6))
        self.mlp2 = Mlp(dim, dim * ratio)

    def forward(self, xs, sides):
        xs = [cpe(x, s) for cpe, x, s in zip(self.cpes, xs, sides)]
        cur = [getattr(self, f"factoratt_crpe{i + 2}")(getattr(self, f"norm1{i + 2}")(x), s)
               for i, (x, s) in enumerate(zip(xs, sides))]
        mixed = [sum(cur[j] if j == i else resize_tokens(cur[j], sides[j], sides[i]) for j in range(3)) for i in range(3)]
        xs = [x + m for x, m in zip(xs, mixed)]
        return [x + self.mlp2(getattr(self, f"norm2{i + 2}")(x)) for i, x in enumerate(xs)]


class PatchEmbed(nn.Module):
    def __init__(self, cin, dim):
        super().__init__()
        self.proj, self.norm = nn.Conv2d(cin, dim, 2, 2), nn.LayerNorm(dim)

    def forward(self, x):
        return self.norm(self.proj(x).flatten(2).transpose(1, 2))


class CoaTNano(nn.Module):
    """Stage s (1-4): patch_embed{s}, cls_token{s}, cpe{s} and crpe{s} (shared by the stage's blocks),
    serial_blocks{s}; then parallel_blocks, norm2..4 and aggregate (CoaT) or norm4 (CoaT-Lite), head."""

    def __init__(self, dims, serial, parallel, heads=4, windows=None):
        super().__init__()
        windows = windows or {3: 1, 5: 2, 7: 1}
        cpes, crpes = [CPE(d) for d in dims], [CRPE(d // heads, windows) for d in dims]
        for s, (cin, d) in enumerate(zip([1] + dims[:3], dims)):
            setattr(self, f"patch_embed{s + 1}", PatchEmbed(cin, d))
            setattr(self, f"cls_token{s + 1}", nn.Parameter(torch.zeros(1, 1, d)))
            setattr(self, f"cpe{s + 1}", cpes[s])
            setattr(self, f"crpe{s + 1}", crpes[s])
            setattr(self, f"serial_blocks{s + 1}",
                    nn.ModuleList(Serial(d, heads, 4, cpes[s], crpes[s]) for _ in range(serial[s])))
        self.parallel_blocks = nn.ModuleList(Parallel(dims[1], heads, 4, cpes[1:], crpes[1:]) for _ in range(parallel))
        for s in (range(2, 5) if parallel else [4]):
            setattr(self, f"norm{s}", nn.LayerNorm(dims[s - 1], eps=1e-6))
        self.aggregate = nn.Conv1d(3, 1, 1) if parallel else None
        self.head = nn.Linear(dims[3], 10)

    def forward(self, x):
        b, tokens, sides, side = x.shape[0], [], [], 32
        for s in range(1, 5):
            side //= 2
            t = getattr(self, f"patch_embed{s}")(x)
            t = torch.cat([getattr(self, f"cls_token{s}").expand(b, -1, -1), t], 1)
            for blk in getattr(self, f"serial_blocks{s}"):
                t = blk(t, side)
            tokens.append(t)
            sides.append(side)
            x = tokens_to_map(t[:, 1:], side)
        if not len(self.parallel_blocks):
            return self.head(self.norm4(tokens[3])[:, 0])
        xs = tokens[1:]
        for blk in self.parallel_blocks:
            xs = blk(xs, sides[1:])
        cls = torch.cat([getattr(self, f"norm{s}")(t)[:, :1] for s, t in zip(range(2, 5), xs)], 1)
        return self.head(self.aggregate(cls).squeeze(1))


# ---------------------------------------------------------------- ViTAE
class PRM(nn.Module):
    """convs.N: Sequential(conv of dilation N, GELU)."""

    def __init__(self, cin, embed, k, stride, dilations):
        super().__init__()
        self.convs = nn.ModuleList(
            nn.Sequential(nn.Conv2d(cin, embed, k, stride, math.ceil(((k - 1) * d + 1 - stride) / 2), d), nn.GELU())
            for d in dilations)

    def forward(self, x):
        return torch.cat([c(x) for c in self.convs], 1).flatten(2).transpose(1, 2)


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


class TokenTransformer(nn.Module):
    """A reduction cell's attention and MLP, around the PCM branch it adds."""

    def __init__(self, cin, tokens, heads):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(cin), TokenAttention(cin, tokens, heads, True)
        self.norm2, self.mlp = nn.LayerNorm(tokens), Mlp(tokens, tokens)

    def forward(self, pyramid, conv):
        t = self.attn(self.norm1(pyramid)) + conv
        return t + self.mlp(self.norm2(t))


class ReductionCell(nn.Module):
    def __init__(self, cin, embed, tokens, ratio, dilations, heads):
        super().__init__()
        strides, r = [], ratio // 2
        for _ in range(3):
            strides.append(2 if r > 0 else 1)
            r //= 2
        self.PCM = nn.Sequential(nn.Conv2d(cin, embed, 3, strides[0], 1), nn.SiLU(),
                                 nn.Conv2d(embed, embed, 3, strides[1], 1), nn.BatchNorm2d(embed), nn.SiLU(),
                                 nn.Conv2d(embed, tokens, 3, strides[2], 1), nn.SiLU())
        self.PRM = PRM(cin, embed, 3, ratio, dilations)
        self.attn = TokenTransformer(embed * len(dilations), tokens, heads)

    def forward(self, x):
        return self.attn(self.PRM(x), self.PCM(x).flatten(2).transpose(1, 2))


class NormalCell(nn.Module):
    def __init__(self, dim, heads, hidden, groups, side):
        super().__init__()
        self.side = side
        self.norm1, self.attn = nn.LayerNorm(dim, eps=1e-6), TokenAttention(dim, dim, heads, False)
        self.norm2, self.mlp = nn.LayerNorm(dim, eps=1e-6), Mlp(dim, hidden)
        self.PCM = nn.Sequential(nn.Conv2d(dim, hidden, 3, 1, 1, groups=groups), nn.BatchNorm2d(hidden), nn.SiLU(),
                                 nn.Conv2d(hidden, dim, 3, 1, 1, groups=groups), nn.BatchNorm2d(dim), nn.SiLU(),
                                 nn.Conv2d(dim, dim, 3, 1, 1, groups=groups), nn.SiLU())

    def forward(self, x):
        conv = self.PCM(tokens_to_map(x[:, 1:], self.side)).flatten(2).transpose(1, 2)
        x = x + self.attn(self.norm1(x)) + torch.cat([torch.zeros_like(x[:, :1]), conv], 1)
        return x + self.mlp(self.norm2(x))


class ViTAENano(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([ReductionCell(1, 16, 32, 2, [1, 2, 3], 1), ReductionCell(32, 32, 64, 2, [1, 2], 1)])
        self.cls_token = nn.Parameter(torch.zeros(1, 1, 64))
        pos = torch.arange(65)[:, None] / torch.pow(10000, 2 * (torch.arange(64) // 2) / 64)[None]
        self.register_buffer("pos_embed", torch.where(torch.arange(64) % 2 == 0, torch.sin(pos), torch.cos(pos))[None])
        self.blocks = nn.Sequential(*[NormalCell(64, 2, 128, 16, 8) for _ in range(4)])
        self.norm, self.head = nn.LayerNorm(64, eps=1e-6), nn.Linear(64, 10)

    def forward(self, x):
        t = self.layers[0](x)
        t = self.layers[1](tokens_to_map(t, 16))
        t = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), t], 1) + self.pos_embed
        return self.head(self.norm(self.blocks(t))[:, 0])


MODELS = {
    **{f"coatnet-nano-{l}": (lambda fusion="pre", l=l: CoAtNetNano(l, fusion)) for l in ["CCCC", "CCCT", "CCTT", "CTTT"]},
    "vit-rel-nano": ViTRelNano,
    "coat-lite-nano": lambda: CoaTNano([32, 64, 128, 160], [2, 2, 2, 2], 0),
    "coat-nano": lambda: CoaTNano([32, 64, 64, 64], [1, 1, 1, 1], 2),
    "vitae-nano": ViTAENano,
}
# Presets with a relative-bias fusion knob (pre, post, none), as in the Java configs.
WITH_FUSION = {name for name in MODELS if name.startswith(("coatnet-nano-", "vit-rel-"))}


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
    dev = torch.device(a.device)
    model = MODELS[a.model]().to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)
    x, y = torch.randn(a.batch, 1, 32, 32).to(dev), torch.randint(0, 10, (a.batch,)).to(dev)

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    def train_step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    def timed(step):
        for _ in range(a.warmup):
            step()
        sync()
        t = time.perf_counter()
        for _ in range(a.steps):
            step()
        sync()
        return a.batch * a.steps / (time.perf_counter() - t)

    model.train()
    train = timed(train_step)
    model.eval()
    with torch.no_grad():
        infer = timed(lambda: model(x))
    print(json.dumps({"model": a.model, "batch": a.batch, "threads": a.threads, "device": a.device, "torch": torch.__version__,
                      "train_img_s": round(train, 1), "infer_img_s": round(infer, 1)}))


class UserError(Exception):
    """Bad input, reported as one `error:` line."""


def read_safetensors(path):
    """{name: float32 tensor} of a safetensors file (8-byte little-endian header length, JSON
    header of name -> dtype, shape, data_offsets, then the raw data), with the standard library."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise UserError(f"{path}: {e.strerror}")
    if len(data) < 8:
        raise UserError(f"{path}: not a safetensors file (too short)")
    n = int.from_bytes(data[:8], "little")
    if 8 + n > len(data):
        raise UserError(f"{path}: bad safetensors header length {n}")
    try:
        header = json.loads(data[8:8 + n])
    except ValueError as e:
        raise UserError(f"{path}: safetensors header is not JSON ({e})")
    if not isinstance(header, dict):
        raise UserError(f"{path}: safetensors header is not a JSON object")
    base, tensors = 8 + n, {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape, (begin, end) = e["dtype"], [int(d) for d in e["shape"]], e["data_offsets"]
        except (KeyError, TypeError, ValueError):
            raise UserError(f"{path}: tensor '{name}' needs dtype, shape and data_offsets [begin, end], got {e}")
        if dtype != "F32":
            raise UserError(f"{path}: tensor '{name}' has dtype {dtype}, expected F32")
        if end - begin != 4 * math.prod(shape) or begin < 0 or base + end > len(data):
            raise UserError(f"{path}: tensor '{name}' has bad data offsets {e['data_offsets']} for shape {shape}")
        values = array.array("f")
        values.frombytes(data[base + begin:base + end])
        if sys.byteorder == "big":
            values.byteswap()
        tensors[name] = (torch.frombuffer(values, dtype=torch.float32).clone() if values else torch.zeros(0)).reshape(shape)
    return tensors


def load_weights(model, name, path):
    """Copies every parameter and buffer of `model` (the twin of preset `name`) from the file,
    matched by name and shape. PyTorch's num_batches_tracked counters are not in Java files and
    do not act in eval mode."""
    tensors = read_safetensors(path)
    own = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    missing, unexpected = sorted(own.keys() - tensors.keys()), sorted(tensors.keys() - own.keys())
    if missing or unexpected:
        def first(names):
            return f"{len(names)}" + (f" ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''})" if names else "")
        raise UserError(f"{path}: not the weights of {name}: tensors missing {first(missing)}, "
                        f"not in the model {first(unexpected)}")
    for name, t in own.items():
        if t.shape != tensors[name].shape:
            raise UserError(f"{path}: tensor '{name}' has shape {list(tensors[name].shape)}, expected {list(t.shape)}")
    with torch.no_grad():
        for name, t in own.items():
            t.copy_(tensors[name])


def build(name, fusion):
    if fusion is None:
        return MODELS[name]()
    if name not in WITH_FUSION:
        raise UserError(f"--fusion: {name} has no relative-bias fusion (models with one: {', '.join(sorted(WITH_FUSION))})")
    return MODELS[name](fusion=fusion)


def logits(a):
    torch.set_num_threads(a.threads)
    try:
        labels = [int(v) for v in a.labels.split(",")]
    except ValueError:
        raise UserError(f"--labels: '{a.labels}' is not a comma-separated list of integers")
    model = build(a.model, a.fusion)
    if any(not 0 <= v < model.head.out_features for v in labels):
        raise UserError(f"--labels: every label must be in [0, {model.head.out_features}), got {a.labels}")
    load_weights(model, a.model, a.weights)
    try:
        with open(a.input, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise UserError(f"{a.input}: {e.strerror}")
    shape = (len(labels), 1, 32, 32)
    if len(raw) != 4 * math.prod(shape):
        raise UserError(f"{a.input}: {len(raw)} bytes, expected {4 * math.prod(shape)} "
                        f"(float32 images {'x'.join(map(str, shape))}, one per label)")
    images = array.array("f")
    images.frombytes(raw)
    if sys.byteorder == "big":
        images.byteswap()
    x = torch.frombuffer(images, dtype=torch.float32).reshape(shape)
    model.eval()
    with torch.no_grad():
        out = model(x)
        loss = F.cross_entropy(out, torch.tensor(labels))
    print(json.dumps({"model": a.model, "fusion": a.fusion, "batch": len(labels), "torch": torch.__version__,
                      "logits": out.tolist(), "loss": loss.item()}))


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
    b.add_argument("--device", default="cpu", help="torch device, e.g. cuda")
    g = sub.add_parser("sgemm")
    g.add_argument("--n", type=int, default=2048)
    g.add_argument("--threads", type=int, default=2)
    g.add_argument("--repeats", type=int, default=10)
    lg = sub.add_parser("logits", help="eval-mode logits and mean cross-entropy of a batch with saved weights")
    lg.add_argument("--model", required=True, choices=sorted(MODELS))
    lg.add_argument("--weights", required=True, help="safetensors file with the Java model's names")
    lg.add_argument("--input", required=True, help="raw little-endian float32 images (batch, 1, 32, 32)")
    lg.add_argument("--labels", required=True, help="comma-separated class of each image, e.g. 3,1,4")
    lg.add_argument("--fusion", choices=["pre", "post", "none"], help="relative-bias fusion (CoAtNet, ViT-REL)")
    lg.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    try:
        {"params": params, "bench": bench, "sgemm": sgemm, "logits": logits}[a.cmd](a)
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
