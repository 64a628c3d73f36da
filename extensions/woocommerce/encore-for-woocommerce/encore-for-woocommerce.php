<?php
/**
 * Plugin Name:          Encore for WooCommerce
 * Description:          Shows Encore's post-purchase offers and order tracking on the thank-you and My Account order pages, and applies Encore offer coupons from links.
 * Version:              0.1.0
 * Requires at least:    6.0
 * Requires PHP:         8.0
 * Author:               Encore
 * License:              MIT
 * Text Domain:          encore-for-woocommerce
 * WC requires at least: 7.0
 *
 * @package EncoreForWooCommerce
 */

defined( 'ABSPATH' ) || exit;

define( 'ENCORE_WC_VERSION', '0.1.0' );
define( 'ENCORE_WC_OPTION_URL', 'encore_wc_encore_url' );
define( 'ENCORE_WC_OPTION_STORE_ID', 'encore_wc_store_id' );

require_once __DIR__ . '/includes/class-encore-settings.php';
require_once __DIR__ . '/includes/class-encore-order-block.php';
require_once __DIR__ . '/includes/class-encore-coupon-link.php';

Encore_Settings::register();
Encore_Order_Block::register();
Encore_Coupon_Link::register();
