from flask import Blueprint

bp = Blueprint("shopify_webhooks", __name__)
