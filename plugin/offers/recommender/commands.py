"""`encore eval ORDERS.csv`: how well the recommender predicts a shopper's next order."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("eval")
@click.argument(
    "orders_csv", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
)
@click.option("--quiet", is_flag=True, help="Print only the result table.")
def eval_command(orders_csv: Path, quiet: bool) -> None:
    """Replay ORDERS.csv (one row per line item, gzip accepted) and score the offers.

    The CSV needs the columns order_id, user_id, order_number, days_since_prior_order,
    product_id and add_to_cart_order, like ../shared/data/grocery_orders_dev.csv.gz. The replay
    runs in a temporary database: the store's own data is never touched.
    """
    from plugin.offers.recommender.evaluation import format_report, run_eval

    try:
        report = run_eval(orders_csv, progress=(lambda _message: None) if quiet else click.echo)
    except ValueError as error:  # a CSV without the expected columns or values
        raise click.ClickException(f"{error}. See `encore eval --help` for the format.") from None
    if report.shoppers_evaluated == 0:
        raise click.ClickException(
            "No shopper in this file has three orders with something new in the last one; "
            "nothing to evaluate."
        )
    click.echo(format_report(report))
