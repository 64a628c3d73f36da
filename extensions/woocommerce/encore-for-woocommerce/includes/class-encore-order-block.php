<?php
/**
 * Prints Encore's block (offers and tracking) on the thank-you and My Account order pages.
 *
 * @package EncoreForWooCommerce
 */

defined( 'ABSPATH' ) || exit;

/**
 * Fetches the order's HTML fragment from Encore, keyed by the order key, and prints it.
 * Anything going wrong prints nothing: a shopper's order page must never break for Encore.
 */
class Encore_Order_Block {

	const TIMEOUT_SECONDS   = 1.5;
	const CACHE_SECONDS     = 60;
	const FAILURE_CACHE     = 30;
	const TRANSIENT_PREFIX  = 'encore_wc_block_';

	/**
	 * Orders already printed in this request: the thank-you page fires both of its hooks.
	 *
	 * @var array<int, bool>
	 */
	private static $printed = array();

	/**
	 * Hook the three order views.
	 */
	public static function register() {
		add_action( 'woocommerce_thankyou', array( __CLASS__, 'print_for_order' ), 20 );
		add_action( 'woocommerce_view_order', array( __CLASS__, 'print_for_order' ), 20 );
		add_action( 'woocommerce_order_details_after_order_table', array( __CLASS__, 'print_for_order' ), 20 );
	}

	/**
	 * Forget what was printed (for tests that simulate several requests).
	 */
	public static function reset() {
		self::$printed = array();
	}

	/**
	 * Hook callback: receives an order id (thank-you, view order) or a WC_Order.
	 *
	 * @param mixed $order_or_id Order or order id.
	 */
	public static function print_for_order( $order_or_id ) {
		try {
			$order = is_object( $order_or_id ) ? $order_or_id : wc_get_order( absint( $order_or_id ) );
			if ( ! $order || ! method_exists( $order, 'get_order_key' ) ) {
				return;
			}
			$order_id = (int) $order->get_id();
			if ( isset( self::$printed[ $order_id ] ) ) {
				return;
			}
			self::$printed[ $order_id ] = true;
			$html = self::block_html( $order_id, (string) $order->get_order_key() );
			if ( '' !== $html ) {
				echo wp_kses_post( $html );
			}
		} catch ( \Throwable $error ) {
			return; // Never break the page.
		}
	}

	/**
	 * The block for one order, from a short cache or from Encore ('' on any failure).
	 *
	 * @param int    $order_id  Order id.
	 * @param string $order_key Order key (wc_order_...).
	 * @return string
	 */
	public static function block_html( $order_id, $order_key ) {
		$base     = Encore_Settings::encore_url();
		$store_id = Encore_Settings::store_id();
		if ( '' === $base || '' === $store_id || '' === $order_key ) {
			return '';
		}
		$cache_key = self::TRANSIENT_PREFIX . md5( $base . '|' . $store_id . '|' . $order_id . '|' . $order_key );
		$cached    = get_transient( $cache_key );
		if ( is_array( $cached ) && isset( $cached['html'] ) ) {
			return (string) $cached['html'];
		}
		$html = self::fetch( $base, $store_id, $order_id, $order_key );
		set_transient( $cache_key, array( 'html' => $html ), '' === $html ? self::FAILURE_CACHE : self::CACHE_SECONDS );
		return $html;
	}

	/**
	 * Ask Encore for the HTML fragment.
	 *
	 * @param string $base      Encore URL.
	 * @param string $store_id  Store id at Encore.
	 * @param int    $order_id  Order id.
	 * @param string $order_key Order key.
	 * @return string
	 */
	private static function fetch( $base, $store_id, $order_id, $order_key ) {
		$url      = sprintf(
			'%s/api/storefront/woocommerce/%s/orders/%d?key=%s',
			$base,
			rawurlencode( $store_id ),
			$order_id,
			rawurlencode( $order_key )
		);
		$response = wp_remote_get(
			$url,
			array(
				'timeout'     => self::TIMEOUT_SECONDS,
				'redirection' => 0,
				'headers'     => array( 'Accept' => 'text/html' ),
			)
		);
		if ( is_wp_error( $response ) || 200 !== (int) wp_remote_retrieve_response_code( $response ) ) {
			return '';
		}
		$type = (string) wp_remote_retrieve_header( $response, 'content-type' );
		if ( 0 !== stripos( $type, 'text/html' ) ) {
			return '';
		}
		return trim( (string) wp_remote_retrieve_body( $response ) );
	}
}
