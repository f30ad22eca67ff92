using System.Globalization;
using System.Text;
using Webhooks.Application.Providers.GitHub;
using Webhooks.Application.Providers.Shopify;
using Webhooks.Application.Providers.Stripe;

namespace Webhooks.Bench;

/// <summary>
/// Pre-signs unique deliveries for wrk, which cannot compute an HMAC: one per line, <c>path TAB headers TAB body</c>
/// (headers <c>name: value</c> joined by <c>\u0001</c>). The bodies have the shapes the providers document, with values
/// generated here: Shopify <c>orders/create</c> (1–6 line items with their price sets, tax lines and discounts,
/// addresses, customer), Stripe <c>payment_intent.succeeded</c> and <c>charge.succeeded</c> (the whole object: card
/// details, outcome, billing details, metadata) and GitHub <c>push</c> (repository, pusher, sender, 1–3 commits) —
/// 1–10 KB, in the order Shopify, Stripe, GitHub, so every run sees the same mix. Every body is different (the gateway
/// de-duplicates identical bodies), as a real provider's deliveries are.
/// </summary>
internal static class SignedRequests
{
    public static int Mix(Options options)
    {
        var count = options.Int("count", 100_000);
        var prefix = options.Get("prefix");
        var shopifySecret = options.Get("shopify-secret");
        var stripeSecret = options.Get("stripe-secret");
        var githubSecret = options.Get("github-secret");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long bytes = 0;
        using var output = new StreamWriter(options.Get("out"), false, new UTF8Encoding(false));
        for (var i = 0; i < count; i++)
        {
            var (path, headers, body) = (i % 3) switch
            {
                0 => Shopify(i, prefix, shopifySecret),
                1 => Stripe(i, prefix, timestamp, stripeSecret),
                _ => GitHub(i, prefix, githubSecret),
            };
            bytes += Encoding.UTF8.GetByteCount(body);
            output.Write(path);
            output.Write('\t');
            output.Write(string.Join('\u0001', headers));
            output.Write('\t');
            output.Write(body);
            output.Write('\n');
        }

        Report.Line("body_bytes_avg", (double)bytes / count);
        return 0;
    }

    private static (string, string[], string) Shopify(int i, string prefix, string secret)
    {
        var id = 5_209_829_000_000_000L + i;
        var items = new StringBuilder();
        var lines = 1 + (i % 6);
        for (var n = 0; n < lines; n++)
        {
            var price = (9.5m + (n * 7) + (i % 40)).ToString("0.00", CultureInfo.InvariantCulture);
            items.Append(n == 0 ? "" : ",").Append(Invariant($$$$"""
                {"id":{{{{13_000_000_000L + (i * 16L) + n}}}},"admin_graphql_api_id":"gid://shopify/LineItem/{{{{13_000_000_000L + (i * 16L) + n}}}}","attributed_staffs":[],"current_quantity":{{{{1 + (n % 3)}}}},"fulfillable_quantity":{{{{1 + (n % 3)}}}},"fulfillment_service":"manual","fulfillment_status":null,"gift_card":false,"grams":{{{{200 + (n * 35)}}}},"name":"Merino Wool Sweater - Size {{{{"SMLX"[n % 4]}}}} / Charcoal","price":"{{{{price}}}}","price_set":{"shop_money":{"amount":"{{{{price}}}}","currency_code":"EUR"},"presentment_money":{"amount":"{{{{price}}}}","currency_code":"EUR"}},"product_exists":true,"product_id":{{{{7_400_000_000L + n}}}},"properties":[{"name":"gift_wrap","value":"{{{{(n % 2 == 0 ? "yes" : "no")}}}}"}],"quantity":{{{{1 + (n % 3)}}}},"requires_shipping":true,"sku":"MWS-{{{{n:000}}}}-CH","taxable":true,"title":"Merino Wool Sweater","total_discount":"0.00","total_discount_set":{"shop_money":{"amount":"0.00","currency_code":"EUR"},"presentment_money":{"amount":"0.00","currency_code":"EUR"}},"variant_id":{{{{42_000_000_000L + n}}}},"variant_inventory_management":"shopify","variant_title":"{{{{"SMLX"[n % 4]}}}} / Charcoal","vendor":"Nordic Knit Co.","tax_lines":[{"channel_liable":false,"price":"3.61","price_set":{"shop_money":{"amount":"3.61","currency_code":"EUR"},"presentment_money":{"amount":"3.61","currency_code":"EUR"}},"rate":0.19,"title":"DE MwSt"}],"duties":[],"discount_allocations":[]}
                """));
        }

        var address = """{"first_name":"Lena","last_name":"Schäfer","address1":"Friedrichstraße 123","address2":"3. OG","city":"Berlin","zip":"10117","province":null,"country":"Germany","country_code":"DE","company":null,"phone":"+49 30 1234567","latitude":52.5200,"longitude":13.4050,"name":"Lena Schäfer","province_code":null}""";
        var body = Invariant($$$$"""
            {"id":{{{{id}}}},"admin_graphql_api_id":"gid://shopify/Order/{{{{id}}}}","app_id":580111,"browser_ip":"203.0.113.{{{{i % 250}}}}","buyer_accepts_marketing":false,"cancel_reason":null,"cancelled_at":null,"cart_token":"c1-{{{{prefix}}}}{{{{i}}}}","checkout_id":{{{{30_000_000_000L + i}}}},"checkout_token":"ct-{{{{prefix}}}}-{{{{i}}}}","confirmation_number":"X{{{{i % 100000:00000}}}}","confirmed":true,"contact_email":"lena.{{{{i % 5000}}}}@example.com","created_at":"2026-12-07T10:{{{{i % 60:00}}}}:00+01:00","currency":"EUR","current_subtotal_price":"189.90","current_total_price":"199.80","current_total_tax":"31.90","customer_locale":"de-DE","discount_codes":[],"email":"lena.{{{{i % 5000}}}}@example.com","estimated_taxes":false,"financial_status":"paid","fulfillment_status":null,"landing_site":"/collections/winter","name":"#{{{{prefix}}}}-{{{{i}}}}","note":null,"note_attributes":[{"name":"delivery_window","value":"evening"}],"number":{{{{i}}}},"order_number":{{{{1000 + i}}}},"order_status_url":"https://nordic-knit.example/{{{{id}}}}/orders/{{{{prefix}}}}{{{{i}}}}/authenticate?key=abc","payment_gateway_names":["shopify_payments"],"presentment_currency":"EUR","processed_at":"2026-12-07T10:{{{{i % 60:00}}}}:00+01:00","source_name":"web","subtotal_price":"189.90","tags":"winter, repeat-customer","taxes_included":true,"test":false,"total_discounts":"0.00","total_line_items_price":"189.90","total_price":"199.80","total_price_set":{"shop_money":{"amount":"199.80","currency_code":"EUR"},"presentment_money":{"amount":"199.80","currency_code":"EUR"}},"total_shipping_price_set":{"shop_money":{"amount":"9.90","currency_code":"EUR"},"presentment_money":{"amount":"9.90","currency_code":"EUR"}},"total_tax":"31.90","total_weight":1400,"updated_at":"2026-12-07T10:{{{{i % 60:00}}}}:01+01:00","billing_address":{{{{address}}}},"customer":{"id":{{{{6_100_000_000L + (i % 5000)}}}},"email":"lena.{{{{i % 5000}}}}@example.com","created_at":"2024-03-02T09:00:00+01:00","first_name":"Lena","last_name":"Schäfer","state":"enabled","verified_email":true,"currency":"EUR","tags":"","default_address":{{{{address}}}} },"line_items":[{{{{items}}}}],"shipping_address":{{{{address}}}},"shipping_lines":[{"id":{{{{4_900_000_000L + i}}}},"code":"Standard","price":"9.90","price_set":{"shop_money":{"amount":"9.90","currency_code":"EUR"},"presentment_money":{"amount":"9.90","currency_code":"EUR"}},"source":"shopify","title":"Standard (2-4 Werktage)","tax_lines":[]}],"tax_lines":[{"price":"31.90","rate":0.19,"title":"DE MwSt"}]}
            """);
        return ("/api/v1/webhooks/shopify", [
            "Content-Type: application/json", "X-Shopify-Topic: orders/create", "X-Shopify-Shop-Domain: nordic-knit.myshopify.com",
            "X-Shopify-Event-Id: " + prefix + "-" + i, "X-Shopify-Webhook-Id: " + prefix + "-w-" + i, "X-Shopify-API-Version: 2025-10",
            "X-Shopify-Hmac-Sha256: " + ShopifySignature.Sign(Encoding.UTF8.GetBytes(body), secret)], body);
    }

    private static (string, string[], string) Stripe(int i, string prefix, long timestamp, string secret)
    {
        var amount = 1000 + (i % 90_000);
        var card = Invariant($$$$"""
            "payment_method_details":{"card":{"amount_authorized":{{{{amount}}}},"brand":"visa","checks":{"address_line1_check":"pass","address_postal_code_check":"pass","cvc_check":"pass"},"country":"DE","exp_month":8,"exp_year":2029,"extended_authorization":{"status":"disabled"},"fingerprint":"Fp{{{{i % 9000}}}}xYz","funding":"credit","incremental_authorization":{"status":"unavailable"},"installments":null,"last4":"4242","mandate":null,"multicapture":{"status":"unavailable"},"network":"visa","network_token":{"used":false},"overcapture":{"maximum_amount_capturable":{{{{amount}}}},"status":"unavailable"},"three_d_secure":null,"wallet":null},"type":"card"}
            """);
        var billing = """
            "billing_details":{"address":{"city":"Berlin","country":"DE","line1":"Friedrichstraße 123","line2":null,"postal_code":"10117","state":null},"email":"lena@example.com","name":"Lena Schäfer","phone":null}
            """;
        var body = i % 2 == 0
            ? Invariant($$$$"""
                {"id":"evt_{{{{prefix}}}}_{{{{i}}}}","object":"event","api_version":"2025-09-30","created":{{{{timestamp}}}},"data":{"object":{"id":"pi_{{{{prefix}}}}_{{{{i}}}}","object":"payment_intent","amount":{{{{amount}}}},"amount_capturable":0,"amount_details":{"tip":{}},"amount_received":{{{{amount}}}},"application":null,"application_fee_amount":null,"automatic_payment_methods":{"allow_redirects":"always","enabled":true},"canceled_at":null,"cancellation_reason":null,"capture_method":"automatic_async","client_secret":"pi_{{{{prefix}}}}_{{{{i}}}}_secret_q8Zk","confirmation_method":"automatic","created":{{{{timestamp}}}},"currency":"eur","customer":"cus_{{{{i % 5000}}}}","description":"Order #{{{{1000 + i}}}} — Nordic Knit Co.","last_payment_error":null,"latest_charge":"ch_{{{{prefix}}}}_{{{{i}}}}","livemode":false,"metadata":{"order_id":"{{{{1000 + i}}}}","merchant_id":"m_{{{{i % 40}}}}","channel":"web","cart":"c1-{{{{prefix}}}}{{{{i}}}}"},"next_action":null,"on_behalf_of":null,"payment_method":"pm_{{{{prefix}}}}_{{{{i}}}}","payment_method_configuration_details":{"id":"pmc_1QBench","parent":null},"payment_method_options":{"card":{"installments":null,"mandate_options":null,"network":null,"request_three_d_secure":"automatic"},"link":{"persistent_token":null}},"payment_method_types":["card","link"],"processing":null,"receipt_email":"lena@example.com","review":null,"setup_future_usage":null,"shipping":{"address":{"city":"Berlin","country":"DE","line1":"Friedrichstraße 123","line2":null,"postal_code":"10117","state":null},"carrier":null,"name":"Lena Schäfer","phone":null,"tracking_number":null},"source":null,"statement_descriptor":null,"statement_descriptor_suffix":"NORDICKNIT","status":"succeeded","transfer_data":null,"transfer_group":null}},"livemode":false,"pending_webhooks":2,"request":{"id":"req_{{{{prefix}}}}{{{{i}}}}","idempotency_key":"ik-{{{{prefix}}}}-{{{{i}}}}"},"type":"payment_intent.succeeded"}
                """)
            : Invariant($$$$"""
                {"id":"evt_{{{{prefix}}}}_{{{{i}}}}","object":"event","api_version":"2025-09-30","created":{{{{timestamp}}}},"data":{"object":{"id":"ch_{{{{prefix}}}}_{{{{i}}}}","object":"charge","amount":{{{{amount}}}},"amount_captured":{{{{amount}}}},"amount_refunded":0,"application":null,"application_fee":null,"application_fee_amount":null,"balance_transaction":"txn_{{{{prefix}}}}_{{{{i}}}}",{{{{billing}}}},"calculated_statement_descriptor":"NORDICKNIT","captured":true,"created":{{{{timestamp}}}},"currency":"eur","customer":"cus_{{{{i % 5000}}}}","description":"Order #{{{{1000 + i}}}} — Nordic Knit Co.","destination":null,"dispute":null,"disputed":false,"failure_balance_transaction":null,"failure_code":null,"failure_message":null,"fraud_details":{},"livemode":false,"metadata":{"order_id":"{{{{1000 + i}}}}","merchant_id":"m_{{{{i % 40}}}}"},"on_behalf_of":null,"order":null,"outcome":{"advice_code":null,"network_advice_code":null,"network_decline_code":null,"network_status":"approved_by_network","reason":null,"risk_level":"normal","risk_score":{{{{i % 64}}}},"seller_message":"Payment complete.","type":"authorized"},"paid":true,"payment_intent":"pi_{{{{prefix}}}}_{{{{i}}}}","payment_method":"pm_{{{{prefix}}}}_{{{{i}}}}",{{{{card}}}},"radar_options":{},"receipt_email":"lena@example.com","receipt_number":null,"receipt_url":"https://pay.example/receipts/payment/CAcaFwoVYWNjdF8x{{{{prefix}}}}{{{{i}}}}","refunded":false,"review":null,"shipping":null,"source":null,"source_transfer":null,"statement_descriptor":null,"statement_descriptor_suffix":"NORDICKNIT","status":"succeeded","transfer_data":null,"transfer_group":null}},"livemode":false,"pending_webhooks":2,"request":{"id":"req_{{{{prefix}}}}{{{{i}}}}","idempotency_key":"ik-{{{{prefix}}}}-{{{{i}}}}"},"type":"charge.succeeded"}
                """);
        return ("/api/v1/webhooks/stripe", ["Content-Type: application/json; charset=utf-8", "Stripe-Signature: " + StripeSignature.Sign(Encoding.UTF8.GetBytes(body), secret, timestamp)], body);
    }

    private static (string, string[], string) GitHub(int i, string prefix, string secret)
    {
        const string api = "https://api.github.example/repos/nordic-knit/storefront";
        var user = """{"login":"lena-s","id":1029384,"node_id":"MDQ6VXNlcjEwMjkzODQ=","avatar_url":"https://avatars.github.example/u/1029384?v=4","gravatar_id":"","url":"https://api.github.example/users/lena-s","html_url":"https://github.example/lena-s","followers_url":"https://api.github.example/users/lena-s/followers","following_url":"https://api.github.example/users/lena-s/following{/other_user}","gists_url":"https://api.github.example/users/lena-s/gists{/gist_id}","starred_url":"https://api.github.example/users/lena-s/starred{/owner}{/repo}","subscriptions_url":"https://api.github.example/users/lena-s/subscriptions","organizations_url":"https://api.github.example/users/lena-s/orgs","repos_url":"https://api.github.example/users/lena-s/repos","events_url":"https://api.github.example/users/lena-s/events{/privacy}","received_events_url":"https://api.github.example/users/lena-s/received_events","type":"User","user_view_type":"public","site_admin":false}""";
        var commits = new StringBuilder();
        var count = 1 + (i % 3);
        string? head = null;
        for (var n = 0; n < count; n++)
        {
            var sha = Sha($"{prefix}-{i}-{n}");
            head = Invariant($$$$"""
                {"id":"{{{{sha}}}}","tree_id":"{{{{sha[..20]}}}}{{{{sha[20..]}}}}","distinct":true,"message":"Checkout: keep the cart when the session expires ({{{{n}}}})\n\nThe cart token now outlives the session; see #{{{{i % 900}}}}.","timestamp":"2026-12-07T10:{{{{n:00}}}}:00+01:00","url":"https://github.example/nordic-knit/storefront/commit/{{{{sha}}}}","author":{"name":"Lena Schäfer","email":"lena@example.com","username":"lena-s"},"committer":{"name":"Lena Schäfer","email":"lena@example.com","username":"lena-s"},"added":["src/cart/session_{{{{n}}}}.ts"],"removed":[],"modified":["src/cart/cart.ts","src/checkout/index.ts","test/cart.test.ts"]}
                """);
            commits.Append(n == 0 ? "" : ",").Append(head);
        }

        var body = Invariant($$$$"""
            {"ref":"refs/heads/main","before":"{{{{new string('a', 40)}}}}","after":"{{{{Sha(prefix + i)}}}}","repository":{"id":81234567,"node_id":"R_kgDOBNbench","name":"storefront","full_name":"nordic-knit/storefront","private":true,"owner":{{{{user}}}},"html_url":"https://github.example/nordic-knit/storefront","description":"The shop's storefront","fork":false,"url":"{{{{api}}}}","forks_url":"{{{{api}}}}/forks","keys_url":"{{{{api}}}}/keys{/key_id}","collaborators_url":"{{{{api}}}}/collaborators{/collaborator}","teams_url":"{{{{api}}}}/teams","hooks_url":"{{{{api}}}}/hooks","issue_events_url":"{{{{api}}}}/issues/events{/number}","events_url":"{{{{api}}}}/events","assignees_url":"{{{{api}}}}/assignees{/user}","branches_url":"{{{{api}}}}/branches{/branch}","tags_url":"{{{{api}}}}/tags","blobs_url":"{{{{api}}}}/git/blobs{/sha}","git_tags_url":"{{{{api}}}}/git/tags{/sha}","git_refs_url":"{{{{api}}}}/git/refs{/sha}","trees_url":"{{{{api}}}}/git/trees{/sha}","statuses_url":"{{{{api}}}}/statuses/{sha}","languages_url":"{{{{api}}}}/languages","stargazers_url":"{{{{api}}}}/stargazers","contributors_url":"{{{{api}}}}/contributors","subscribers_url":"{{{{api}}}}/subscribers","subscription_url":"{{{{api}}}}/subscription","commits_url":"{{{{api}}}}/commits{/sha}","git_commits_url":"{{{{api}}}}/git/commits{/sha}","comments_url":"{{{{api}}}}/comments{/number}","issue_comment_url":"{{{{api}}}}/issues/comments{/number}","contents_url":"{{{{api}}}}/contents/{+path}","compare_url":"{{{{api}}}}/compare/{base}...{head}","merges_url":"{{{{api}}}}/merges","archive_url":"{{{{api}}}}/{archive_format}{/ref}","downloads_url":"{{{{api}}}}/downloads","issues_url":"{{{{api}}}}/issues{/number}","pulls_url":"{{{{api}}}}/pulls{/number}","milestones_url":"{{{{api}}}}/milestones{/number}","notifications_url":"{{{{api}}}}/notifications{?since,all,participating}","labels_url":"{{{{api}}}}/labels{/name}","releases_url":"{{{{api}}}}/releases{/id}","deployments_url":"{{{{api}}}}/deployments","created_at":1700000000,"updated_at":"2026-12-07T09:00:00Z","pushed_at":1765101600,"git_url":"git://github.example/nordic-knit/storefront.git","ssh_url":"git@github.example:nordic-knit/storefront.git","clone_url":"https://github.example/nordic-knit/storefront.git","svn_url":"https://github.example/nordic-knit/storefront","homepage":null,"size":48213,"stargazers_count":3,"watchers_count":3,"language":"TypeScript","has_issues":true,"has_projects":false,"has_downloads":true,"has_wiki":false,"has_pages":false,"has_discussions":false,"forks_count":0,"mirror_url":null,"archived":false,"disabled":false,"open_issues_count":12,"license":null,"allow_forking":false,"is_template":false,"web_commit_signoff_required":false,"topics":[],"visibility":"private","forks":0,"open_issues":12,"watchers":3,"default_branch":"main","stargazers":3,"master_branch":"main","organization":"nordic-knit"},"pusher":{"name":"lena-s","email":"lena@example.com"},"organization":{"login":"nordic-knit","id":7654321,"node_id":"O_kgDOBench","url":"https://api.github.example/orgs/nordic-knit","repos_url":"https://api.github.example/orgs/nordic-knit/repos","events_url":"https://api.github.example/orgs/nordic-knit/events","hooks_url":"https://api.github.example/orgs/nordic-knit/hooks","issues_url":"https://api.github.example/orgs/nordic-knit/issues","members_url":"https://api.github.example/orgs/nordic-knit/members{/member}","public_members_url":"https://api.github.example/orgs/nordic-knit/public_members{/member}","avatar_url":"https://avatars.github.example/u/7654321?v=4","description":""},"sender":{{{{user}}}},"created":false,"deleted":false,"forced":false,"base_ref":null,"compare":"https://github.example/nordic-knit/storefront/compare/{{{{prefix}}}}{{{{i}}}}","commits":[{{{{commits}}}}],"head_commit":{{{{head}}}} }
            """);
        return ("/api/v1/webhooks/github", [
            "Content-Type: application/json", "X-GitHub-Event: push", "X-GitHub-Delivery: " + Guid.NewGuid(), "X-GitHub-Hook-ID: 4100" + (i % 10),
            "X-Hub-Signature-256: " + GitHubSignature.Sign(Encoding.UTF8.GetBytes(body), secret)], body);
    }

    /// <summary>A commit id's shape (40 hex digits), unique per input.</summary>
    private static string Sha(string seed) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..40];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture).Trim();
}
