<?php
/**
 * Tests of the companion plugin: loads it with WordPress stand-ins and checks what its hooks
 * print and store. Run: php extensions/woocommerce/tests/run.php (exit code 1 on a failure).
 *
 * @package EncoreForWooCommerce
 */

require __DIR__ . '/wordpress-stand-ins.php';
require __DIR__ . '/../encore-for-woocommerce/encore-for-woocommerce.php';

$encore_tests    = array();
$encore_failures = 0;

function test( $name, $body ) {
	$GLOBALS['encore_tests'][ $name ] = $body;
}

function check( $condition, $message ) {
	if ( ! $condition ) {
		throw new RuntimeException( $message );
	}
}

function printed( $callback ) {
	ob_start();
	try {
		$callback();
	} finally {
		$output = ob_get_clean();
	}
	return $output;
}

function block_response( $html, $status = 200, $type = 'text/html; charset=utf-8' ) {
	return array(
		'response' => array( 'code' => $status ),
		'headers'  => array( 'content-type' => $type ),
		'body'     => $html,
	);
}

function connected() {
	encore_test_reset();
	update_option( 'encore_wc_encore_url', 'https://encore.example.com' );
	update_option( 'encore_wc_store_id', 'Xk3dP0qZ1xYb2c' );
	$GLOBALS['encore_test']['orders'][812] = new Encore_Test_Order( 812, 'wc_order_Hk3dP0qZ1xYb2' );
	Encore_Order_Block::reset();
}

$block = '<div class="encore-block"><p class="encore-title">Picked for you</p></div>';

// ---- the order block ------------------------------------------------------------------

test( 'thank-you page prints the block Encore answers for the order', function () use ( $block ) {
	connected();
	$GLOBALS['encore_test']['responses'][] = block_response( $block );
	$output = printed( fn() => do_action( 'woocommerce_thankyou', 812 ) );
	check( $output === $block, "printed: $output" );
	$request = $GLOBALS['encore_test']['requests'][0];
	check(
		'https://encore.example.com/api/storefront/woocommerce/Xk3dP0qZ1xYb2c/orders/812?key=wc_order_Hk3dP0qZ1xYb2' === $request['url'],
		'requested ' . $request['url']
	);
	check( 1.5 === $request['args']['timeout'], 'timeout is 1.5 s' );
	check( 'text/html' === $request['args']['headers']['Accept'], 'asks for the HTML fragment' );
} );

test( 'view-order page prints it too, once per order although two hooks fire', function () use ( $block ) {
	connected();
	$GLOBALS['encore_test']['responses'][] = block_response( $block );
	$order  = $GLOBALS['encore_test']['orders'][812];
	$output = printed(
		function () use ( $order ) {
			do_action( 'woocommerce_view_order', 812 );
			do_action( 'woocommerce_order_details_after_order_table', $order );
		}
	);
	check( $output === $block, "printed: $output" );
	check( 1 === count( $GLOBALS['encore_test']['requests'] ), 'one request' );
} );

test( 'the answer is cached briefly: the next page view makes no request', function () use ( $block ) {
	connected();
	$GLOBALS['encore_test']['responses'][] = block_response( $block );
	printed( fn() => do_action( 'woocommerce_thankyou', 812 ) );
	Encore_Order_Block::reset();
	$output = printed( fn() => do_action( 'woocommerce_thankyou', 812 ) );
	check( $output === $block, 'cached block printed' );
	check( 1 === count( $GLOBALS['encore_test']['requests'] ), 'served from the transient' );
	$cached = array_values( $GLOBALS['encore_test']['transients'] )[0];
	check( $cached['seconds'] <= 60, 'short cache' );
} );

test( 'script in the answer is not printed (escaped output)', function () {
	connected();
	$GLOBALS['encore_test']['responses'][] = block_response( '<div class="encore-block">Hi<script>alert(1)</script></div>' );
	$output = printed( fn() => do_action( 'woocommerce_thankyou', 812 ) );
	check( '<div class="encore-block">Hi</div>' === $output, "printed: $output" );
} );

$failures = array(
	'a timeout'              => new WP_Error( 'http_request_failed', 'cURL error 28' ),
	'a wrong key (404)'      => block_response( '{"error":{"code":"order_not_found"}}', 404, 'application/json' ),
	'a server error'         => block_response( 'Internal Server Error', 500 ),
	'JSON instead of HTML'   => block_response( '{"offers":[]}', 200, 'application/json' ),
	'an exception'           => new RuntimeException( 'boom' ),
);
foreach ( $failures as $what => $answer ) {
	test( "prints nothing on $what", function () use ( $answer ) {
		connected();
		$GLOBALS['encore_test']['responses'][] = $answer;
		$output = printed( fn() => do_action( 'woocommerce_thankyou', 812 ) );
		check( '' === $output, "printed: $output" );
	} );
}

test( 'prints nothing and asks nothing before it is set up', function () {
	encore_test_reset();
	$GLOBALS['encore_test']['orders'][812] = new Encore_Test_Order( 812, 'wc_order_Hk3dP0qZ1xYb2' );
	Encore_Order_Block::reset();
	check( '' === printed( fn() => do_action( 'woocommerce_thankyou', 812 ) ), 'nothing printed' );
	check( array() === $GLOBALS['encore_test']['requests'], 'no request' );
} );

test( 'prints nothing for an order that does not exist', function () {
	connected();
	check( '' === printed( fn() => do_action( 'woocommerce_thankyou', 999 ) ), 'nothing printed' );
	check( array() === $GLOBALS['encore_test']['requests'], 'no request' );
} );

test( 'a failure is cached for a shorter time than a block', function () {
	connected();
	printed( fn() => do_action( 'woocommerce_thankyou', 812 ) );
	$cached = array_values( $GLOBALS['encore_test']['transients'] )[0];
	check( 30 === $cached['seconds'] && '' === $cached['value']['html'], 'failure cached 30 s' );
} );

// ---- coupon links ---------------------------------------------------------------------

test( 'an encore_coupon link applies the coupon once', function () {
	encore_test_reset();
	$_GET['encore_coupon'] = ' ENCORE-10-AB12 ';
	do_action( 'wp_loaded' );
	do_action( 'wp_loaded' );
	check( array( 'ENCORE-10-AB12' ) === $GLOBALS['encore_test']['coupons'], json_encode( $GLOBALS['encore_test']['coupons'] ) );
	$priority = $GLOBALS['encore_test']['actions']['wp_loaded'][0][1] ?? 0;
	check( $priority > 20, 'runs after WooCommerce adds the product to the cart' );
} );

test( 'no coupon without the parameter, without a cart, or in the admin', function () {
	encore_test_reset();
	do_action( 'wp_loaded' );
	$_GET['encore_coupon']             = 'ENCORE-10';
	$GLOBALS['encore_test']['cart']  = false;
	do_action( 'wp_loaded' );
	$GLOBALS['encore_test']['cart']  = true;
	$GLOBALS['encore_test']['admin'] = true;
	do_action( 'wp_loaded' );
	check( array() === $GLOBALS['encore_test']['coupons'], 'nothing applied' );
} );

// ---- settings -------------------------------------------------------------------------

$refusals = array(
	'the capability' => 'can',
	'the nonce'      => 'nonce_ok',
);
foreach ( $refusals as $what => $flag ) {
	test( "settings save checks $what", function () use ( $flag ) {
		encore_test_reset();
		$GLOBALS['encore_test'][ $flag ] = false;
		$_POST = array( 'encore_url' => 'https://evil.example', 'encore_store_id' => 'x' );
		$died  = false;
		try {
			do_action( 'admin_post_encore_wc_save_settings' );
		} catch ( Encore_Test_Died $e ) {
			$died = true;
		}
		check( $died && array() === $GLOBALS['encore_test']['options'], 'refused, nothing saved' );
	} );
}

test( 'settings save keeps clean values and goes back to the page', function () {
	encore_test_reset();
	$_POST = array( 'encore_url' => ' https://encore.example.com/ ', 'encore_store_id' => 'Xk3d"><script>' );
	try {
		do_action( 'admin_post_encore_wc_save_settings' );
	} catch ( Encore_Test_Redirected $e ) {
		// expected.
	}
	check( 'https://encore.example.com' === get_option( 'encore_wc_encore_url' ), 'url saved' );
	check( 'Xk3dscript' === get_option( 'encore_wc_store_id' ), 'store id cleaned: ' . get_option( 'encore_wc_store_id' ) );
	check( str_contains( (string) $GLOBALS['encore_test']['redirect'], 'page=encore-for-woocommerce' ), 'redirected back' );
	$_POST = array( 'encore_url' => 'javascript:alert(1)', 'encore_store_id' => '' );
	try {
		do_action( 'admin_post_encore_wc_save_settings' );
	} catch ( Encore_Test_Redirected $e ) {
		// expected.
	}
	check( '' === get_option( 'encore_wc_encore_url' ), 'a non-http url is not kept' );
} );

test( 'settings page has a nonce, escapes values and links Connect to Encore', function () {
	encore_test_reset();
	update_option( 'encore_wc_encore_url', 'https://encore.example.com' );
	update_option( 'encore_wc_store_id', 'abc"def' );
	do_action( 'admin_menu' );
	$page   = $GLOBALS['encore_test']['options_page'];
	check( 'manage_woocommerce' === $page[2], 'shop managers only' );
	$output = printed( fn() => call_user_func( $page[4] ) );
	check( str_contains( $output, 'name="_wpnonce"' ), 'nonce field' );
	check( str_contains( $output, 'value="abc&quot;def"' ), 'value escaped' );
	check(
		str_contains( $output, 'href="https://encore.example.com/auth/woocommerce?store_url=https%3A%2F%2Fcorner-shop.example"' ),
		'connect link: ' . $output
	);
} );

test( 'settings page pre-fills the store id Encore sent back, without saving it', function () {
	encore_test_reset();
	update_option( 'encore_wc_encore_url', 'https://encore.example.com' );
	$_GET['encore_store_id'] = 'NewStore_1<b>';
	do_action( 'admin_menu' );
	$output = printed( fn() => call_user_func( $GLOBALS['encore_test']['options_page'][4] ) );
	check( str_contains( $output, 'value="NewStore_1b"' ), 'pre-filled and cleaned' );
	check( false === get_option( 'encore_wc_store_id', false ), 'not saved' );
} );

test( 'settings page refuses people who may not manage the shop', function () {
	encore_test_reset();
	$GLOBALS['encore_test']['can'] = false;
	do_action( 'admin_menu' );
	$died = false;
	try {
		printed( fn() => call_user_func( $GLOBALS['encore_test']['options_page'][4] ) );
	} catch ( Encore_Test_Died $e ) {
		$died = true;
	}
	check( $died, 'refused' );
} );

// ---- uninstall ------------------------------------------------------------------------

test( 'uninstall removes the options', function () {
	encore_test_reset();
	update_option( 'encore_wc_encore_url', 'https://encore.example.com' );
	update_option( 'encore_wc_store_id', 'abc' );
	update_option( 'unrelated', 'kept' );
	define( 'WP_UNINSTALL_PLUGIN', 'encore-for-woocommerce/encore-for-woocommerce.php' );
	require __DIR__ . '/../encore-for-woocommerce/uninstall.php';
	check( array( 'unrelated' => 'kept' ) === $GLOBALS['encore_test']['options'], json_encode( $GLOBALS['encore_test']['options'] ) );
} );

// ---- run ------------------------------------------------------------------------------

$registered = $GLOBALS['encore_test']['actions'];
foreach ( $encore_tests as $name => $body ) {
	$saved = $registered;
	try {
		$body();
		echo "ok   $name\n";
	} catch ( Throwable $error ) {
		++$encore_failures;
		echo "FAIL $name: " . $error->getMessage() . "\n";
	}
	$GLOBALS['encore_test']['actions'] = $saved;
}
printf( "%d tests, %d failed\n", count( $encore_tests ), $encore_failures );
exit( $encore_failures > 0 ? 1 : 0 );
