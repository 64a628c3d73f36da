<?php
/**
 * Minimal stand-ins for the WordPress and WooCommerce functions the plugin calls. They record
 * what the plugin did, so tests can check it without a WordPress install.
 *
 * @package EncoreForWooCommerce
 */

define( 'ABSPATH', __DIR__ . '/' );

class WP_Error {
	public $message;
	public function __construct( $code = '', $message = '' ) {
		$this->message = $message;
	}
}

class Encore_Test_Died extends Exception {
}

class Encore_Test_Redirected extends Exception {
}

$GLOBALS['encore_test'] = array();

function encore_test_reset() {
	// Hooks stay: the plugin adds them once, when it is loaded.
	$GLOBALS['encore_test'] = array(
		'actions'    => $GLOBALS['encore_test']['actions'] ?? array(),
		'options'    => array(),
		'transients' => array(),
		'requests'   => array(),
		'responses'  => array(),
		'orders'     => array(),
		'can'        => true,
		'nonce_ok'   => true,
		'redirect'   => null,
		'coupons'    => array(),
		'cart'       => true,
		'admin'      => false,
	);
	$_GET  = array();
	$_POST = array();
}
encore_test_reset();

function add_action( $hook, $callback, $priority = 10, $args = 1 ) {
	$GLOBALS['encore_test']['actions'][ $hook ][] = array( $callback, $priority );
}
function do_action( $hook, ...$args ) {
	foreach ( $GLOBALS['encore_test']['actions'][ $hook ] ?? array() as $entry ) {
		call_user_func_array( $entry[0], $args );
	}
}
function __( $text, $domain = '' ) {
	return $text;
}
function esc_html__( $text, $domain = '' ) {
	return esc_html( $text );
}
function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}
function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}
function esc_url( $url ) {
	return htmlspecialchars( esc_url_raw( $url ), ENT_QUOTES, 'UTF-8' );
}
function esc_url_raw( $url, $protocols = null ) {
	$url = (string) $url;
	return preg_match( '#^https?://#i', $url ) ? $url : '';
}
function wp_kses_post( $html ) {
	// Like WordPress: script and style elements never survive.
	return preg_replace( '#<(script|style)\b[^>]*>.*?</\1>#is', '', (string) $html );
}
function wp_unslash( $value ) {
	return $value;
}
function sanitize_text_field( $value ) {
	return trim( strip_tags( (string) $value ) );
}
function absint( $value ) {
	return abs( (int) $value );
}
function get_option( $name, $default = false ) {
	return $GLOBALS['encore_test']['options'][ $name ] ?? $default;
}
function update_option( $name, $value ) {
	$GLOBALS['encore_test']['options'][ $name ] = $value;
	return true;
}
function delete_option( $name ) {
	unset( $GLOBALS['encore_test']['options'][ $name ] );
	return true;
}
function get_transient( $name ) {
	return $GLOBALS['encore_test']['transients'][ $name ]['value'] ?? false;
}
function set_transient( $name, $value, $seconds ) {
	$GLOBALS['encore_test']['transients'][ $name ] = array( 'value' => $value, 'seconds' => $seconds );
	return true;
}
function wp_remote_get( $url, $args ) {
	$GLOBALS['encore_test']['requests'][] = array( 'url' => $url, 'args' => $args );
	$answer = array_shift( $GLOBALS['encore_test']['responses'] );
	if ( $answer instanceof Throwable ) {
		throw $answer;
	}
	return $answer ?? new WP_Error( 'http_request_failed', 'cURL error 28: timed out' );
}
function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}
function wp_remote_retrieve_response_code( $response ) {
	return is_array( $response ) ? $response['response']['code'] : '';
}
function wp_remote_retrieve_body( $response ) {
	return is_array( $response ) ? $response['body'] : '';
}
function wp_remote_retrieve_header( $response, $name ) {
	return is_array( $response ) ? ( $response['headers'][ strtolower( $name ) ] ?? '' ) : '';
}
function wc_get_order( $order_id ) {
	return $GLOBALS['encore_test']['orders'][ $order_id ] ?? false;
}
function home_url( $path = '' ) {
	return 'https://corner-shop.example' . $path;
}
function admin_url( $path = '' ) {
	return 'https://corner-shop.example/wp-admin/' . $path;
}
function add_query_arg( $args, $value = '', $url = null ) {
	if ( ! is_array( $args ) ) {
		$args = array( $args => $value );
	} else {
		$url = $value;
	}
	$pairs = array();
	foreach ( $args as $key => $item ) {
		$pairs[] = $key . '=' . $item;
	}
	return $url . ( str_contains( $url, '?' ) ? '&' : '?' ) . implode( '&', $pairs );
}
function add_options_page( ...$args ) {
	$GLOBALS['encore_test']['options_page'] = $args;
}
function current_user_can( $capability ) {
	return $GLOBALS['encore_test']['can'] && 'manage_woocommerce' === $capability;
}
function wp_die( $message = '', $title = '', $args = array() ) {
	throw new Encore_Test_Died( (string) $message );
}
function wp_nonce_field( $action ) {
	echo '<input type="hidden" name="_wpnonce" value="nonce-' . esc_attr( $action ) . '">';
}
function check_admin_referer( $action ) {
	if ( ! $GLOBALS['encore_test']['nonce_ok'] ) {
		wp_die( 'The link you followed has expired.' );
	}
	return 1;
}
function wp_safe_redirect( $location ) {
	$GLOBALS['encore_test']['redirect'] = $location;
	throw new Encore_Test_Redirected( $location );
}
function is_admin() {
	return $GLOBALS['encore_test']['admin'];
}
function wc_format_coupon_code( $code ) {
	return trim( (string) $code );
}

class Encore_Test_Cart {
	public function has_discount( $code ) {
		return in_array( $code, $GLOBALS['encore_test']['coupons'], true );
	}
	public function apply_coupon( $code ) {
		$GLOBALS['encore_test']['coupons'][] = $code;
		return true;
	}
}

class Encore_Test_WooCommerce {
	public $cart;
	public $session = null;
}

function WC() {
	$woocommerce       = new Encore_Test_WooCommerce();
	$woocommerce->cart = $GLOBALS['encore_test']['cart'] ? new Encore_Test_Cart() : null;
	return $woocommerce;
}

class Encore_Test_Order {
	private $id;
	private $key;
	public function __construct( $id, $key ) {
		$this->id  = $id;
		$this->key = $key;
	}
	public function get_id() {
		return $this->id;
	}
	public function get_order_key() {
		return $this->key;
	}
}
