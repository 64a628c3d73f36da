<?php
/**
 * Removes Encore's options when the plugin is deleted. Cached blocks are transients that
 * expire within a minute on their own.
 *
 * @package EncoreForWooCommerce
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'encore_wc_encore_url' );
delete_option( 'encore_wc_store_id' );
