<?php
/**
 * Applies the coupon an Encore offer link carries (`?encore_coupon=CODE`).
 *
 * @package EncoreForWooCommerce
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce has no coupon parameter of its own. Offer links add the product
 * (`add-to-cart`, handled by WooCommerce on wp_loaded at priority 20) and name the coupon; it
 * is applied after that, so a coupon limited to the offered product finds it in the cart.
 */
class Encore_Coupon_Link {

	const PARAMETER = 'encore_coupon';

	/**
	 * Hook after WooCommerce's own add-to-cart handling.
	 */
	public static function register() {
		add_action( 'wp_loaded', array( __CLASS__, 'apply_from_link' ), 30 );
	}

	/**
	 * Apply the linked coupon once; WooCommerce validates it and shows its own notice.
	 */
	public static function apply_from_link() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a shareable link, applying a coupon is what it is for.
		if ( ! isset( $_GET[ self::PARAMETER ] ) || is_admin() ) {
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended
		$code = wc_format_coupon_code( sanitize_text_field( wp_unslash( $_GET[ self::PARAMETER ] ) ) );
		if ( '' === $code || strlen( $code ) > 64 ) {
			return;
		}
		$woocommerce = function_exists( 'WC' ) ? WC() : null;
		if ( ! $woocommerce || empty( $woocommerce->cart ) ) {
			return;
		}
		if ( ! empty( $woocommerce->session ) && method_exists( $woocommerce->session, 'set_customer_session_cookie' ) ) {
			$woocommerce->session->set_customer_session_cookie( true ); // keep a guest's cart.
		}
		if ( ! $woocommerce->cart->has_discount( $code ) ) {
			$woocommerce->cart->apply_coupon( $code );
		}
	}
}
