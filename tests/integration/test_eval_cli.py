"""`encore eval` on a hand-made history: every figure below was worked out on paper.

Replayed: u1's orders 1-3, u2's 1-3, u3's 1-2 and u4's first (9 orders, products A-H).
u1 just placed {B, D} and next buys {A, E}; u2 just placed {F} and next buys {G}; u3's last
order repeats the one before (nothing new: skipped); u4 has only two orders.

Learned: u1 gets A, C, H (A is their habit: hit at rank 1 of 2 wanted, NDCG 1/(1+1/log2 3));
u2 gets G, C, H (hit at rank 1, NDCG 1). Recall@10 is 1/2 and 1 (E was never sold before).
Popularity (C, H, B, F, A, G, D by orders, then latest sale, then id): u1 gets C, H, F and
u2 gets C, H, B, no hit; A and G are within the first ten, so recall is again 1/2 and 1.
"""

from __future__ import annotations

import math
from pathlib import Path

from flask import Flask

from plugin.offers.recommender.evaluation import run_eval
from tests.conftest import run_cli

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "eval" / "tiny_orders.csv"
U1_NDCG = 1 / (1 + 1 / math.log2(3))


def test_eval_scores_learned_offers_and_popularity_on_the_same_replay() -> None:
    report = run_eval(TINY, progress=lambda _message: None)

    assert report.orders_replayed == 9
    assert report.products == 8
    assert (report.shoppers_evaluated, report.shoppers_skipped) == (2, 1)
    learned, popular = report.learned, report.popularity
    assert learned.hit_rate_at_3 == 1.0
    assert math.isclose(learned.ndcg_at_3, (U1_NDCG + 1) / 2)
    assert learned.recall_at_10 == 0.75
    assert learned.coverage == 4 / 8  # A, C, G, H
    assert (popular.hit_rate_at_3, popular.ndcg_at_3) == (0.0, 0.0)
    assert popular.recall_at_10 == 0.75
    assert popular.coverage == 4 / 8  # C, H, F, B


def test_eval_command_prints_the_side_by_side_table(app: Flask) -> None:
    result = run_cli(app, "eval", str(TINY), "--quiet")

    assert result.exit_code == 0, result.output
    assert "| metric | Encore (learned) | global popularity |" in result.output
    assert "| HR@3 | 1.000 | 0.000 |" in result.output
    assert f"| NDCG@3 | {(U1_NDCG + 1) / 2:.3f} | 0.000 |" in result.output
    assert "| Recall@10 | 0.750 | 0.750 |" in result.output


def test_eval_reads_gzipped_files(tmp_path: Path) -> None:
    import gzip

    packed = tmp_path / "orders.csv.gz"
    packed.write_bytes(gzip.compress(TINY.read_bytes()))

    assert run_eval(packed, progress=lambda _message: None).learned.hit_rate_at_3 == 1.0


def test_eval_explains_a_file_without_the_expected_columns(app: Flask, tmp_path: Path) -> None:
    wrong = tmp_path / "orders.csv"
    wrong.write_text("order,customer,sku\n1,2,3\n")

    result = run_cli(app, "eval", str(wrong))

    assert result.exit_code != 0
    assert "lacks the column(s)" in result.output
    assert "encore eval --help" in result.output
