<?php
/**
 * Settings page: where Encore runs, this store's id, and the Connect button.
 *
 * @package EncoreForWooCommerce
 */

defined( 'ABSPATH' ) || exit;

/**
 * Settings → Encore. Only shop managers see it; saving checks a nonce and the capability.
 */
class Encore_Settings {

	const PAGE       = 'encore-for-woocommerce';
	const ACTION     = 'encore_wc_save_settings';
	const CAPABILITY = 'manage_woocommerce';

	/**
	 * Hook the page and its save handler.
	 */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
		add_action( 'admin_post_' . self::ACTION, array( __CLASS__, 'save' ) );
	}

	/**
	 * The Encore address, without a trailing slash ('' when not set).
	 *
	 * @return string
	 */
	public static function encore_url() {
		return rtrim( (string) get_option( ENCORE_WC_OPTION_URL, '' ), '/' );
	}

	/**
	 * This store's public id at Encore ('' when not set).
	 *
	 * @return string
	 */
	public static function store_id() {
		return (string) get_option( ENCORE_WC_OPTION_STORE_ID, '' );
	}

	/**
	 * Store ids are URL-safe tokens: letters, digits, dash and underscore.
	 *
	 * @param mixed $value Raw input.
	 * @return string
	 */
	public static function clean_store_id( $value ) {
		$value = is_string( $value ) ? $value : '';
		return substr( (string) preg_replace( '/[^A-Za-z0-9_-]/', '', $value ), 0, 64 );
	}

	/**
	 * Only http(s) addresses are kept.
	 *
	 * @param mixed $value Raw input.
	 * @return string
	 */
	public static function clean_url( $value ) {
		$url = esc_url_raw( trim( is_string( $value ) ? $value : '' ), array( 'https', 'http' ) );
		return rtrim( $url, '/' );
	}

	/**
	 * Add Settings → Encore.
	 */
	public static function add_page() {
		add_options_page(
			__( 'Encore', 'encore-for-woocommerce' ),
			__( 'Encore', 'encore-for-woocommerce' ),
			self::CAPABILITY,
			self::PAGE,
			array( __CLASS__, 'render' )
		);
	}

	/**
	 * The page. A store id in the query (Encore's "connected" page links here with it) only
	 * fills the field: it is saved when the merchant clicks Save, with a nonce.
	 */
	public static function render() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to change Encore settings.', 'encore-for-woocommerce' ) );
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only pre-fills a field.
		$offered  = isset( $_GET['encore_store_id'] ) ? self::clean_store_id( wp_unslash( $_GET['encore_store_id'] ) ) : '';
		$store_id = '' !== $offered ? $offered : self::store_id();
		$url      = self::encore_url();

		echo '<div class="wrap"><h1>' . esc_html__( 'Encore', 'encore-for-woocommerce' ) . '</h1>';
		if ( '' !== $offered && $offered !== self::store_id() ) {
			echo '<div class="notice notice-info"><p>' . esc_html__( 'Encore is connected. Click Save to use this store id.', 'encore-for-woocommerce' ) . '</p></div>';
		}
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '">';
		wp_nonce_field( self::ACTION );
		echo '<table class="form-table"><tr><th scope="row"><label for="encore_url">' . esc_html__( 'Encore URL', 'encore-for-woocommerce' ) . '</label></th>';
		echo '<td><input type="url" class="regular-text" id="encore_url" name="encore_url" value="' . esc_attr( $url ) . '" placeholder="https://encore.example.com"></td></tr>';
		echo '<tr><th scope="row"><label for="encore_store_id">' . esc_html__( 'Store id', 'encore-for-woocommerce' ) . '</label></th>';
		echo '<td><input type="text" class="regular-text" id="encore_store_id" name="encore_store_id" value="' . esc_attr( $store_id ) . '"></td></tr></table>';
		echo '<p class="submit"><button type="submit" class="button button-primary">' . esc_html__( 'Save', 'encore-for-woocommerce' ) . '</button></p></form>';

		if ( '' !== $url ) {
			$connect = add_query_arg( 'store_url', rawurlencode( home_url() ), $url . '/auth/woocommerce' );
			echo '<h2>' . esc_html__( 'Connect', 'encore-for-woocommerce' ) . '</h2>';
			echo '<p>' . esc_html__( 'Lets Encore read orders and products and receive webhooks. WooCommerce asks you to approve.', 'encore-for-woocommerce' ) . '</p>';
			echo '<p><a class="button" href="' . esc_url( $connect ) . '">' . esc_html__( 'Connect to Encore', 'encore-for-woocommerce' ) . '</a></p>';
		}
		echo '</div>';
	}

	/**
	 * Save handler (admin-post.php): capability, then nonce, then sanitised options.
	 */
	public static function save() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to change Encore settings.', 'encore-for-woocommerce' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::ACTION );
		$url      = isset( $_POST['encore_url'] ) ? self::clean_url( wp_unslash( $_POST['encore_url'] ) ) : '';
		$store_id = isset( $_POST['encore_store_id'] ) ? self::clean_store_id( wp_unslash( $_POST['encore_store_id'] ) ) : '';
		update_option( ENCORE_WC_OPTION_URL, $url );
		update_option( ENCORE_WC_OPTION_STORE_ID, $store_id );
		wp_safe_redirect( add_query_arg( array( 'page' => self::PAGE, 'updated' => '1' ), admin_url( 'options-general.php' ) ) );
		exit;
	}
}
