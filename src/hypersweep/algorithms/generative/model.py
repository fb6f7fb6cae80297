"""The network of the generative optimizer (imports torch; loaded lazily by the algorithm).

Shapes: ``B`` episodes, ``n`` context points, ``m`` query points, ``d`` unit-cube columns.

* **history encoder**: an MLP embeds each observed ``(x, rank(y), z(y))`` (``d + 2 -> 32 -> 32``;
  the rank and z-score are taken within the history, so any task's scale works), a Transformer
  encoder (width 32, 4 heads, 3 layers) mixes them, and a masked mean gives the context vector.
* **conditional VAE** (the published design): encoder ``[x, I, c] -> 32 -> (mu, logvar)`` of a
  2-d latent, decoder ``[z, I, c] -> 64 -> 32 -> sigmoid -> x``; sampling with ``I = 1``
  proposes points likely to improve on the history's best.
* **improvement scorer** (added): the logit of ``P(I = 1 | x, history)`` from ``[x, c, a]``
  where ``a`` is the query's cross-attention over the encoded history tokens. It ranks the
  proposals (and, in HPO-B's discrete protocol, the pending candidates).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import Tensor, nn
from torch.nn import functional as F


@dataclass(frozen=True)
class ModelConfig:
    """Sizes of :class:`GenerativeModel` (stored in checkpoints)."""

    d: int
    width: int = 32
    heads: int = 4
    layers: int = 3
    latent: int = 2
    vae_hidden: int = 32
    decoder_hidden: int = 64
    scorer_hidden: int = 64

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class GenerativeModel(nn.Module):
    """History encoder + conditional VAE + improvement scorer (see the module docstring)."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        d, w = config.d, config.width
        self.embed = nn.Sequential(nn.Linear(d + 2, w), nn.ReLU(), nn.Linear(w, w))
        layer = nn.TransformerEncoderLayer(w, config.heads, dim_feedforward=2 * w, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.vae_encoder = nn.Sequential(nn.Linear(d + 1 + w, config.vae_hidden), nn.ReLU(),
                                         nn.Linear(config.vae_hidden, 2 * config.latent))
        self.vae_decoder = nn.Sequential(
            nn.Linear(config.latent + 1 + w, config.decoder_hidden), nn.ReLU(),
            nn.Linear(config.decoder_hidden, 32), nn.ReLU(), nn.Linear(32, d), nn.Sigmoid(),
        )
        self.query = nn.Sequential(nn.Linear(d, w), nn.ReLU(), nn.Linear(w, w))
        self.cross = nn.MultiheadAttention(w, config.heads, batch_first=True)
        self.scorer = nn.Sequential(nn.Linear(d + 3 * w, config.scorer_hidden), nn.ReLU(),
                                    nn.Linear(config.scorer_hidden, config.scorer_hidden), nn.ReLU(),
                                    nn.Linear(config.scorer_hidden, 1))

    # -- pieces ---------------------------------------------------------------------------
    def encode_history(self, X: Tensor, feats: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        """Tokens ``(B, n, w)`` and pooled context ``(B, w)``; ``mask`` ``(B, n)`` is True for real points."""
        tokens = self.encoder(self.embed(torch.cat([X, feats], dim=-1)), src_key_padding_mask=~mask)
        weights = mask.unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * weights).sum(1) / weights.sum(1).clamp_min(1.0)
        return tokens, pooled

    def score(self, Q: Tensor, tokens: Tensor, pooled: Tensor, mask: Tensor) -> Tensor:
        """Improvement logits ``(B, m)`` of queries ``Q`` ``(B, m, d)``."""
        q = self.query(Q)
        attended, _ = self.cross(q, tokens, tokens, key_padding_mask=~mask, need_weights=False)
        c = pooled.unsqueeze(1).expand(-1, Q.shape[1], -1)
        return self.scorer(torch.cat([Q, q, attended, c], dim=-1)).squeeze(-1)

    def decode(self, z: Tensor, flag: Tensor, pooled: Tensor) -> Tensor:
        """Points ``(B, m, d)`` from latents ``z`` ``(B, m, latent)`` and flags ``(B, m)``."""
        c = pooled.unsqueeze(1).expand(-1, z.shape[1], -1)
        return self.vae_decoder(torch.cat([z, flag.unsqueeze(-1), c], dim=-1))

    # -- training loss --------------------------------------------------------------------
    def loss(self, batch: dict[str, Tensor], *, beta: float = 0.1) -> tuple[Tensor, dict[str, float]]:
        """Scorer cross-entropy + VAE (reconstruction + ``beta`` * KL) on one episode batch."""
        mask = batch["mask"]
        tokens, pooled = self.encode_history(batch["X"], batch["feats"], mask)
        Q, flag = batch["Q"], batch["flag"]
        logits = self.score(Q, tokens, pooled, mask)
        bce = F.binary_cross_entropy_with_logits(logits, flag)
        c = pooled.unsqueeze(1).expand(-1, Q.shape[1], -1)
        stats = self.vae_encoder(torch.cat([Q, flag.unsqueeze(-1), c], dim=-1))
        mu, logvar = stats.chunk(2, dim=-1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        recon = ((self.decode(z, flag, pooled) - Q) ** 2).sum(-1).mean()
        kl = (-0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(-1)).mean()
        total = bce + recon + beta * kl
        return total, {"bce": bce.item(), "recon": recon.item(), "kl": kl.item()}


def math_attention() -> Any:
    """Context: plain-math attention (CPU flash attention is slower at these tiny sizes)."""
    from torch.nn.attention import SDPBackend, sdpa_kernel

    return sdpa_kernel([SDPBackend.MATH])


def history_features(y: Tensor, mask: Tensor) -> Tensor:
    """Per-point ``(rank in [0, 1], z-score clipped to [-3, 3])`` within each history, ``(B, n, 2)``.

    ``y`` ``(B, n)`` is maximized; padded entries (``mask`` False) are ignored and get zeros.
    """
    big = torch.finfo(y.dtype).max
    filled = torch.where(mask, y, torch.full_like(y, -big))
    count = mask.sum(1, keepdim=True).to(y.dtype)
    below = (filled.unsqueeze(2) > filled.unsqueeze(1)) & mask.unsqueeze(1)
    ties = (filled.unsqueeze(2) == filled.unsqueeze(1)) & mask.unsqueeze(1)
    rank = below.sum(2).to(y.dtype) + (ties.sum(2).to(y.dtype) - 1) / 2
    rank = torch.where(count > 1, rank / (count - 1).clamp_min(1.0), torch.full_like(rank, 0.5))
    w = mask.to(y.dtype)
    mean = (y * w).sum(1, keepdim=True) / count.clamp_min(1.0)
    var = (((y - mean) * w) ** 2).sum(1, keepdim=True) / count.clamp_min(1.0)
    z = torch.where(var > 1e-24, (y - mean) / var.sqrt().clamp_min(1e-12), torch.zeros_like(y)).clamp(-3, 3)
    return torch.stack([rank, z], dim=-1) * w.unsqueeze(-1)


__all__ = ["GenerativeModel", "ModelConfig", "history_features", "math_attention"]
