from flask import Blueprint

bp = Blueprint("shopify_auth", __name__)
