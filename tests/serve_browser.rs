//! End-to-end tests of `lantern serve` in a real browser: headless Chromium driven through
//! chromedriver, as a person uses the pages. Without chromium and chromedriver the tests say
//! SKIPPED and pass, unless `LANTERN_REQUIRE_BROWSER` is set (as in CI), where they fail.

mod util;

use std::fs::File;
use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, UNIX_EPOCH};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use util::needs::{CHROMEDRIVER, CHROMIUM};
use util::{available, encode, Dir, Need, ServerGuard};

/// How long a test may wait for the page to get to the state it expects.
const PATIENCE: Duration = Duration::from_secs(20);

/// One browser at a time: the machine running the tests may have few cores.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// A chromedriver process, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `scenario` with a fresh headless browser, unless the browser tools are missing.
fn in_browser<F, Fut>(test: &str, scenario: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Client>,
{
    if !available(Need::Browser, test) {
        return;
    }
    let _turn = ONE_BROWSER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let driver = Driver::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_string(),
            json!({
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1200,900"],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("a browser session");
        let client = tokio::time::timeout(Duration::from_secs(120), scenario(client))
            .await
            .unwrap_or_else(|_| panic!("{test} did not finish within 2 minutes"));
        let _ = client.close().await;
    });
}

/// Waits until the page's `expression` (JavaScript) is true.
async fn wait_until(client: &Client, expression: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let value = client
            .execute(&format!("return Boolean({expression});"), Vec::new())
            .await
            .expect("run a script in the page");
        if value == Value::Bool(true) {
            return;
        }
        if Instant::now() > deadline {
            let url = client.current_url().await.map(|url| url.to_string());
            let source = client.source().await.unwrap_or_default();
            panic!("still not true: {expression}\nat {url:?}\n{source}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A folder of `count` documents that hold `lantern`, indexed, and a server on it.
fn served(count: usize) -> (Dir, ServerGuard) {
    let dir = Dir::new();
    for n in 0..count {
        let filler = "word ".repeat(n);
        dir.create(
            &format!("docs/d{n:02}.txt"),
            format!("lantern {filler}\nsecond line\nlantern again\nand lantern once more\n"),
        );
    }
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    (dir, server)
}

#[test]
fn typing_updates_the_results_and_the_keyboard_opens_a_hit() {
    let (_dir, server) = served(3);
    let home = server.url("/");
    in_browser("typing_updates_the_results", |client| async move {
        // Too narrow for the preview pane: Enter opens the hit's document page.
        client
            .set_window_size(1000, 900)
            .await
            .expect("a narrower window");
        client.goto(&home).await.expect("open the search page");
        let input = client.find(Locator::Id("q")).await.expect("the search box");
        input.send_keys("lanter").await.expect("type");
        // No Enter is pressed.
        input.send_keys("n").await.expect("type");
        wait_until(
            &client,
            "document.querySelectorAll('#results li.hit').length === 3",
        )
        .await;
        wait_until(&client, "location.search === '?q=lantern'").await;
        input.send_keys(&Key::Down).await.expect("arrow down");
        input.send_keys(&Key::Down).await.expect("arrow down");
        wait_until(
            &client,
            "document.querySelectorAll('#results li.hit')[1].classList.contains('selected')",
        )
        .await;
        input.send_keys(&Key::Up).await.expect("arrow up");
        wait_until(
            &client,
            "document.querySelectorAll('#results li.hit')[0].classList.contains('selected')",
        )
        .await;
        input.send_keys(&Key::Enter).await.expect("enter");
        wait_until(&client, "location.pathname === '/doc'").await;
        wait_until(
            &client,
            "document.getElementById('m1').textContent === 'lantern'",
        )
        .await;
        client
    });
}

#[test]
fn next_and_previous_match_move_the_anchor() {
    let (dir, server) = served(1);
    let doc = server.url(&format!(
        "/doc?path={}&q=lantern",
        encode(&dir.display("docs/d00.txt"))
    ));
    in_browser(
        "next_and_previous_match_move_the_anchor",
        |client| async move {
            client.goto(&doc).await.expect("open the document");
            wait_until(
                &client,
                "document.querySelectorAll('mark[id]').length === 3",
            )
            .await;
            let next = client
                .find(Locator::Id("next-match"))
                .await
                .expect("next link");
            next.click().await.expect("next");
            wait_until(&client, "location.hash === '#m1'").await;
            next.click().await.expect("next");
            wait_until(&client, "location.hash === '#m2'").await;
            next.click().await.expect("next");
            wait_until(&client, "location.hash === '#m3'").await;
            let previous = client
                .find(Locator::Id("previous-match"))
                .await
                .expect("previous link");
            previous.click().await.expect("previous");
            wait_until(&client, "location.hash === '#m2'").await;
            client
        },
    );
}

#[test]
fn paging_links_lead_to_the_next_fifty() {
    let (_dir, server) = served(55);
    let search = server.url("/search?q=lantern");
    in_browser("paging_links_lead_to_the_next_fifty", |client| async move {
        client.goto(&search).await.expect("open the results");
        wait_until(
            &client,
            "document.querySelectorAll('#results li.hit').length === 50",
        )
        .await;
        client
            .find(Locator::Id("next-page"))
            .await
            .expect("a next page link")
            .click()
            .await
            .expect("follow it");
        wait_until(
            &client,
            "new URLSearchParams(location.search).get('page') === '2'",
        )
        .await;
        wait_until(
            &client,
            "document.querySelectorAll('#results li.hit').length === 5",
        )
        .await;
        wait_until(
            &client,
            "document.querySelector('#results .rank').textContent === '51.'",
        )
        .await;
        client
            .find(Locator::Id("previous-page"))
            .await
            .expect("a previous page link");
        client
    });
}

#[test]
fn a_malformed_query_is_searched_as_its_words_beside_the_caret_message() {
    let (_dir, server) = served(1);
    let home = server.url("/");
    in_browser(
        "a_malformed_query_is_searched_as_its_words",
        |client| async move {
            client.goto(&home).await.expect("open the search page");
            let input = client.find(Locator::Id("q")).await.expect("the search box");
            input.send_keys("(lantern OR").await.expect("type");
            wait_until(
                &client,
                "document.querySelector('#syntax-error pre') !== null && \
                 document.querySelector('#syntax-error pre').textContent === '(lantern OR\\n         ^' && \
                 document.querySelector('#syntax-error').textContent.includes('needs a clause') && \
                 document.querySelectorAll('#results li.hit').length === 1",
            )
            .await;
            client
        },
    );
}

#[test]
fn a_misspelled_query_shows_the_correction_and_links_back_to_the_words_as_typed() {
    let (_dir, server) = served(3);
    let home = server.url("/");
    in_browser(
        "a_misspelled_query_shows_the_correction",
        |client| async move {
            client.goto(&home).await.expect("open the search page");
            let input = client.find(Locator::Id("q")).await.expect("the search box");
            input.send_keys("lantrn").await.expect("type");
            wait_until(
                &client,
                "document.querySelector('#correction') !== null && \
             document.querySelector('#corrected-query').textContent === 'lantern' && \
             document.querySelectorAll('#results li.hit').length === 3",
            )
            .await;
            client
                .find(Locator::Id("original-query"))
                .await
                .expect("the link back")
                .click()
                .await
                .expect("follow it");
            // The words as typed, searched as typed: nothing, and no correction.
            wait_until(
                &client,
                "location.search.includes('correct=0') && \
             document.querySelector('#correction') === null && \
             document.querySelectorAll('#results li.hit').length === 0 && \
             document.getElementById('q').value === 'lantrn'",
            )
            .await;
            client
        },
    );
}

#[test]
fn the_match_links_cross_into_the_next_part_of_a_long_document() {
    // 1,500 matches: the first part holds 1,000, the second the rest.
    let dir = Dir::new();
    dir.create("docs/long.txt", "lantern and more\n".repeat(1_500));
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let doc = server.url(&format!(
        "/doc?path={}&q=lantern#m1000",
        encode(&dir.display("docs/long.txt"))
    ));
    in_browser(
        "the_match_links_cross_into_the_next_part",
        |client| async move {
            client.goto(&doc).await.expect("open the document");
            wait_until(&client, "document.getElementById('m1000') !== null").await;
            client
                .find(Locator::Id("next-match"))
                .await
                .expect("next link")
                .click()
                .await
                .expect("next");
            wait_until(
                &client,
                "location.search.includes('part=2') && location.hash === '#m1001' \
                 && document.getElementById('m1001') !== null",
            )
            .await;
            client
                .find(Locator::Id("previous-match"))
                .await
                .expect("previous link")
                .click()
                .await
                .expect("previous");
            wait_until(
                &client,
                "!location.search.includes('part=') && location.hash === '#m1000'",
            )
            .await;
            client
        },
    );
}

/// A titled page, an untitled text and a long text with two far-apart matches, indexed and
/// served.
fn mixed_served() -> (Dir, ServerGuard) {
    let dir = Dir::new();
    dir.create(
        "docs/titled.html",
        "<html><head><title>Heron watching</title></head><body><p>A heron waits.</p></body></html>",
    );
    dir.create("docs/plain.txt", "a heron in plain text");
    let filler = "nothing to see in this line at all\n".repeat(30);
    dir.create(
        "docs/long.txt",
        format!("the first heron\n{filler}the second heron\n"),
    );
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    (dir, server)
}

/// The left edge, in pixels, of the first element `selector` finds in the hit whose link
/// ends with `name`.
fn left_of(name: &str, selector: &str) -> String {
    format!(
        "Math.round([...document.querySelectorAll('li.hit')]\
         .find(hit => hit.querySelector('a.open').textContent.endsWith('{name}'))\
         .querySelector('{selector}').getBoundingClientRect().left)"
    )
}

#[test]
fn titles_paths_and_fragments_line_up_and_fragments_are_set_apart() {
    let (_dir, server) = mixed_served();
    let page = server.url(&format!("/search?q={}", encode("heron")));
    in_browser("titles_paths_and_fragments_line_up", |client| async move {
        client.goto(&page).await.expect("open the results");
        wait_until(&client, "document.querySelectorAll('li.hit').length === 3").await;
        // Every hit's text starts at one left edge, titled or not; ranks stand to its left.
        let edges = [
            left_of("titled.html", ".title"),
            left_of("titled.html", ".path"),
            left_of("plain.txt", ".path"),
            left_of("plain.txt", ".snippet"),
            left_of("long.txt", ".path"),
        ];
        wait_until(
            &client,
            &format!("new Set([{}]).size === 1", edges.join(",")),
        )
        .await;
        wait_until(
            &client,
            &format!("{} < {}", left_of("plain.txt", ".rank"), edges[2]),
        )
        .await;
        // Two fragments of one document show with a visible, spaced ellipsis between them.
        let snippet = "[...document.querySelectorAll('li.hit')]\
             .find(hit => hit.querySelector('a.open').textContent.endsWith('long.txt'))\
             .querySelector('.snippet')";
        wait_until(
            &client,
            &format!("{snippet}.querySelectorAll('.fragment').length === 2"),
        )
        .await;
        wait_until(
            &client,
            &format!(
                "{snippet}.textContent.split(' … ').length === 2 && \
                 {snippet}.textContent.split(' … ').every(part => part.includes('heron'))"
            ),
        )
        .await;
        client
    });
}

#[test]
fn slash_focuses_the_search_box() {
    let (_dir, server) = mixed_served();
    let page = server.url(&format!("/search?q={}", encode("heron")));
    in_browser("slash_focuses_the_search_box", |client| async move {
        client.goto(&page).await.expect("open the results");
        client
            .execute("document.activeElement.blur();", Vec::new())
            .await
            .expect("leave the box");
        wait_until(&client, "document.activeElement === document.body").await;
        let body = client.find(Locator::Css("body")).await.expect("the page");
        body.send_keys("/").await.expect("press /");
        wait_until(&client, "document.activeElement.id === 'q'").await;
        // The "/" was a command, not a character of the query.
        wait_until(&client, "document.getElementById('q').value === 'heron'").await;
        client
    });
}

#[test]
fn the_page_fits_a_phone() {
    let (_dir, server) = mixed_served();
    let page = server.url(&format!("/search?q={}", encode("heron")));
    in_browser("the_page_fits_a_phone", |client| async move {
        client
            .set_window_size(390, 844)
            .await
            .expect("a phone-sized window");
        client.goto(&page).await.expect("open the results");
        wait_until(&client, "window.innerWidth <= 400").await;
        // Nothing is wider than the screen: no sideways scrolling, the button on screen.
        wait_until(
            &client,
            "document.documentElement.scrollWidth <= window.innerWidth",
        )
        .await;
        wait_until(
            &client,
            "document.querySelector('form.search button').getBoundingClientRect().right <= window.innerWidth",
        )
        .await;
        client
    });
}

#[test]
fn a_hit_opens_its_original_file_whose_script_does_not_run() {
    let dir = Dir::new();
    dir.create(
        "docs/page.html",
        "<html><head><title>Kestrel</title></head><body><p>a kestrel hovers</p>\
         <script>document.title = 'ran'</script></body></html>",
    );
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let page = server.url(&format!("/search?q={}", encode("kestrel")));
    in_browser("a_hit_opens_its_original_file", |client| async move {
        client.goto(&page).await.expect("open the results");
        let open = client
            .find(Locator::Css("li.hit a.original"))
            .await
            .expect("the hit's open link");
        open.click().await.expect("click open");
        wait_until(&client, "location.pathname === '/file'").await;
        wait_until(
            &client,
            "document.body && document.body.textContent.includes('a kestrel hovers')",
        )
        .await;
        // The page is shown, its script sandboxed away.
        wait_until(&client, "document.title === 'Kestrel'").await;
        client
    });
}

#[test]
fn while_typing_the_last_word_is_a_prefix_and_submitted_it_is_a_word() {
    let dir = Dir::new();
    dir.create("docs/encoding.txt", "font encoding tables");
    dir.create("docs/enc.txt", "the enc command");
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let home = server.url("/");
    let names = "[...document.querySelectorAll('#results li.hit a.open')]\
                 .map(a => a.textContent.split('/').pop()).sort().join(',')";
    in_browser(
        "while_typing_the_last_word_is_a_prefix",
        |client| async move {
            client.goto(&home).await.expect("open the search page");
            let input = client.find(Locator::Id("q")).await.expect("the search box");
            input.send_keys("enc").await.expect("type");
            wait_until(&client, &format!("{names} === 'enc.txt,encoding.txt'")).await;
            // The address holds the query as typed, and says nothing of prefixes.
            wait_until(&client, "location.search === '?q=enc'").await;
            // Submitted, the query means what it says: the word, not the prefix.
            input.send_keys(&Key::Enter).await.expect("submit");
            wait_until(&client, &format!("{names} === 'enc.txt'")).await;
            client
        },
    );
}

#[test]
fn the_type_size_and_sort_controls_narrow_and_order_the_hits() {
    let (_dir, server) = served(3);
    let home = server.url("/search?q=lantern");
    in_browser("the_type_size_and_sort_controls", |client| async move {
        client.goto(&home).await.expect("open the search page");
        wait_until(
            &client,
            "document.querySelectorAll('#results li.hit').length === 3",
        )
        .await;
        // The largest file (the most filler words) first, then the smallest.
        let sort = client
            .find(Locator::Id("sort"))
            .await
            .expect("the sort control");
        sort.select_by_value("-size")
            .await
            .expect("choose smallest first");
        wait_until(&client, "location.search === '?q=lantern&sort=-size'").await;
        wait_until(
            &client,
            "document.querySelector('#results li.hit').textContent.includes('d00.txt')",
        )
        .await;
        let size = client
            .find(Locator::Id("size"))
            .await
            .expect("the size control");
        size.send_keys(">60").await.expect("type a size");
        wait_until(
            &client,
            "document.querySelectorAll('#results li.hit').length === 2",
        )
        .await;
        wait_until(
            &client,
            "document.querySelector('#results .query-run code').textContent === '(lantern) AND size:>60'",
        )
        .await;
        let doc_type = client
            .find(Locator::Id("type"))
            .await
            .expect("the type control");
        doc_type.send_keys("pdf").await.expect("type a type");
        wait_until(
            &client,
            "document.querySelectorAll('#results li.hit').length === 0",
        )
        .await;
        client
    });
}

/// Opens `url` in a window `width` pixels wide.
async fn open_at_width(client: &Client, url: &str, width: u32) {
    client
        .set_window_size(width, 900)
        .await
        .expect("size the window");
    client.goto(url).await.expect("open the page");
}

/// Clicks the first element `css` finds.
async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("no {css}: {err}"))
        .click()
        .await
        .unwrap_or_else(|err| panic!("cannot click {css}: {err}"));
}

/// Sets the modification time of `relative` in `dir` to `seconds` after the epoch.
fn set_modified(dir: &Dir, relative: &str, seconds: u64) {
    File::options()
        .write(true)
        .open(dir.path(relative))
        .and_then(|file| file.set_modified(UNIX_EPOCH + Duration::from_secs(seconds)))
        .expect("set the modification time");
}

/// Hits on the page.
const HIT_COUNT: &str = "document.querySelectorAll('#results li.hit').length";

#[test]
fn a_facet_click_narrows_the_list_and_the_filter_can_be_removed() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "an otter swims");
    dir.create("docs/b.txt", "an otter sleeps");
    dir.create(
        "docs/c.html",
        "<html><head><title>Otters</title></head><body>otter</body></html>",
    );
    // 2023-05-10: the one document of May 2023.
    set_modified(&dir, "docs/b.txt", 1_683_700_000);
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let page = server.url("/search?q=otter");
    in_browser("a_facet_click_narrows_the_list", |client| async move {
        open_at_width(&client, &page, 1200).await;
        wait_until(&client, &format!("{HIT_COUNT} === 3")).await;
        // Counts of every type and month among the matches.
        wait_until(
            &client,
            "[...document.querySelectorAll('#facets a.facet-value')]\
             .map(a => a.dataset.value + '=' + a.querySelector('.count').textContent)\
             .filter(v => ['text=2', 'html=1', '2023-05=1'].includes(v)).length === 3",
        )
        .await;
        click(&client, "#facets a.facet-value[data-value='text']").await;
        // The filter is in the address, in its box and in the query run; the list narrows.
        wait_until(
            &client,
            "new URLSearchParams(location.search).get('type') === 'text'",
        )
        .await;
        wait_until(&client, &format!("{HIT_COUNT} === 2")).await;
        wait_until(&client, "document.getElementById('type').value === 'text'").await;
        wait_until(
            &client,
            "document.querySelector('.query-run code').textContent === '(otter) AND type:\"text\"'",
        )
        .await;
        wait_until(
            &client,
            "document.querySelector('#facets a.facet-value.active').dataset.value === 'text'",
        )
        .await;
        // A month narrows further.
        click(&client, "#facets a.facet-value[data-value='2023-05']").await;
        wait_until(
            &client,
            "new URLSearchParams(location.search).get('modified') === '2023-05'",
        )
        .await;
        wait_until(&client, &format!("{HIT_COUNT} === 1")).await;
        wait_until(
            &client,
            "document.getElementById('modified').value === '2023-05' && \
             document.querySelector('#results a.open').textContent === 'b.txt'",
        )
        .await;
        // Each filter in force can be removed on its own.
        wait_until(
            &client,
            "document.querySelectorAll('#active-filters li.active-filter').length === 2",
        )
        .await;
        click(
            &client,
            "#active-filters li.active-filter[data-param='type'] a.remove",
        )
        .await;
        wait_until(
            &client,
            "!location.search.includes('type=') && location.search.includes('modified=2023-05')",
        )
        .await;
        wait_until(&client, "document.getElementById('type').value === ''").await;
        wait_until(&client, &format!("{HIT_COUNT} === 1")).await;
        click(
            &client,
            "#active-filters li.active-filter[data-param='modified'] a.remove",
        )
        .await;
        wait_until(&client, "location.search === '?q=otter'").await;
        wait_until(&client, &format!("{HIT_COUNT} === 3")).await;
        wait_until(
            &client,
            "document.getElementById('active-filters') === null",
        )
        .await;
        client
    });
}

/// The type filter's value of `section`'s facet `value`, for a CSS selector.
fn facet(param: &str, value: &str) -> String {
    format!("#facets section[data-param='{param}'] a.facet-value[data-value='{value}']")
}

#[test]
fn facet_clicks_combine_with_the_filters_in_force_and_each_comes_off_alone() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "an otter swims");
    dir.create("docs/b.txt", "an otter sleeps");
    dir.create(
        "docs/c.html",
        "<html><head><title>Otters</title></head><body>otter</body></html>",
    );
    dir.create(
        "docs/sub/d.html",
        "<html><head><title>Sub</title></head><body>an otter below</body></html>",
    );
    dir.create("docs/sub/e.txt", "an old otter");
    // 2023-05-10 for b.txt and d.html; 2022-01-10 for e.txt, before the box's date.
    set_modified(&dir, "docs/b.txt", 1_683_700_000);
    set_modified(&dir, "docs/sub/d.html", 1_683_700_000);
    set_modified(&dir, "docs/sub/e.txt", 1_641_800_000);
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    // A date typed in the form's box: a.txt, b.txt, c.html and sub/d.html pass it.
    let page = server.url("/search?q=otter&modified=%3E2022-06");
    let param = |name: &str| format!("new URLSearchParams(location.search).get('{name}')");
    let query_run = "document.querySelector('.query-run code').textContent";
    let chips = "[...document.querySelectorAll('#active-filters li.active-filter')]\
                 .map(li => li.dataset.param + ':' + li.querySelector('.value').textContent)\
                 .join(' ')";
    in_browser("facet_clicks_combine", |client| async move {
        open_at_width(&client, &page, 1200).await;
        wait_until(&client, &format!("{HIT_COUNT} === 4")).await;
        click(&client, &facet("type", "text")).await;
        wait_until(&client, &format!("{} === 'text'", param("type"))).await;
        wait_until(&client, &format!("{HIT_COUNT} === 2")).await;
        // Types are alternatives: the other type is still offered, with its count among the
        // matches of every type, and a click adds it.
        wait_until(
            &client,
            &format!(
                "document.querySelector(\"{}\").querySelector('.count').textContent === '2'",
                facet("type", "html")
            ),
        )
        .await;
        click(&client, &facet("type", "html")).await;
        wait_until(&client, &format!("{} === 'text,html'", param("type"))).await;
        wait_until(&client, &format!("{HIT_COUNT} === 4")).await;
        // A month narrows within the date of the box: both hold.
        click(&client, &facet("modified", "2023-05")).await;
        wait_until(
            &client,
            &format!("{} === '>2022-06,2023-05'", param("modified")),
        )
        .await;
        wait_until(&client, &format!("{HIT_COUNT} === 2")).await;
        // Every filter in force is a chip; the query stays in its box and the query run shows
        // every clause.
        wait_until(
            &client,
            &format!("{chips} === 'type:text type:html modified:>2022-06 modified:2023-05'"),
        )
        .await;
        wait_until(&client, "document.getElementById('q').value === 'otter'").await;
        wait_until(
            &client,
            &format!(
                "{query_run} === '(otter) AND (type:\"text\" OR type:\"html\") \
                 AND modified:>2022-06 AND modified:2023-05'"
            ),
        )
        .await;
        // A folder drills down: b.txt is directly in the root, d.html in sub/.
        click(&client, &facet("path", "sub")).await;
        wait_until(&client, &format!("{} === 'sub'", param("path"))).await;
        wait_until(&client, &format!("{HIT_COUNT} === 1")).await;
        // A chip takes off its own value only.
        click(
            &client,
            "#active-filters li.active-filter[data-param='modified'] a.remove",
        )
        .await;
        wait_until(&client, &format!("{} === '2023-05'", param("modified"))).await;
        wait_until(
            &client,
            &format!("{chips} === 'path:sub type:text type:html modified:2023-05'"),
        )
        .await;
        click(
            &client,
            "#active-filters li.active-filter[data-param='type'] a.remove",
        )
        .await;
        wait_until(&client, &format!("{} === 'html'", param("type"))).await;
        wait_until(&client, &format!("{HIT_COUNT} === 1")).await;
        wait_until(
            &client,
            "document.querySelector('#results a.open').textContent.endsWith('d.html')",
        )
        .await;
        client
    });
}

#[test]
fn paths_show_under_their_root_named_once() {
    let dir = Dir::new();
    dir.create("one/sub/a.txt", "a heron");
    dir.create("one/b.txt", "a heron too");
    dir.create("two/c.txt", "a heron again");
    dir.index(&[dir.path("one").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let one = dir.display("one");
    let page = server.url("/search?q=heron&sort=path");
    let full = dir.display("one/sub/a.txt");
    let file_link = format!("/file?path={}", encode(&full));
    let root = one.clone();
    in_browser("paths_show_under_their_root", |client| async move {
        open_at_width(&client, &page, 1200).await;
        wait_until(&client, &format!("{HIT_COUNT} === 2")).await;
        // The root once, above the list; each path under it; the full path in the tooltip and
        // in the link to the original.
        wait_until(
            &client,
            &format!("document.querySelector('#root code').textContent === {root:?}"),
        )
        .await;
        wait_until(
            &client,
            "[...document.querySelectorAll('#results a.open')].map(a => a.textContent).join() \
             === 'b.txt,sub/a.txt'",
        )
        .await;
        wait_until(
            &client,
            &format!(
                "document.querySelectorAll('#results a.open')[1].title === {full:?} && \
                 document.querySelectorAll('#results a.original')[1].getAttribute('href') === {file_link:?}"
            ),
        )
        .await;
        wait_until(
            &client,
            &format!(
                "!document.getElementById('results').textContent.includes({:?})",
                full
            ),
        )
        .await;
        client
    });
    // A second root: the hits of each come under a heading naming it.
    dir.index(&[dir.path("two").to_str().expect("UTF-8 path")]);
    let two = dir.display("two");
    let page = server.url("/search?q=heron&sort=path");
    in_browser(
        "paths_show_under_their_root_named_once",
        |client| async move {
            open_at_width(&client, &page, 1200).await;
            wait_until(&client, &format!("{HIT_COUNT} === 3")).await;
            wait_until(
                &client,
                &format!(
                    "JSON.stringify([...document.querySelectorAll('#results ol.hits > li')]\
                 .map(li => li.classList.contains('root') ? 'root ' + li.textContent : \
                 li.querySelector('a.open').textContent)) === JSON.stringify(\
                 ['root ' + {one:?}, 'b.txt', 'sub/a.txt', 'root ' + {two:?}, 'c.txt'])"
                ),
            )
            .await;
            wait_until(&client, "document.getElementById('root') === null").await;
            client
        },
    );
}

/// The selector of the mark the preview pane shows as the current match.
const CURRENT_MARK: &str = "document.querySelector('#preview mark.current')";

#[test]
fn the_preview_pane_shows_the_selected_hit_and_moves_between_its_matches() {
    let (dir, server) = served(2);
    let page = server.url("/search?q=lantern&sort=path");
    let first = dir.display("docs/d00.txt");
    let second = dir.display("docs/d01.txt");
    in_browser(
        "the_preview_pane_shows_the_selected_hit",
        |client| async move {
            open_at_width(&client, &page, 1400).await;
            wait_until(&client, &format!("{HIT_COUNT} === 2")).await;
            wait_until(&client, "!document.getElementById('preview').hidden").await;
            // A click on a hit's path shows it in the pane, the page stays.
            click(&client, "#results li.hit a.open").await;
            wait_until(
                &client,
                &format!(
                    "document.querySelector('#preview h1.path') !== null && \
                 document.querySelector('#preview h1.path').textContent === {first:?}"
                ),
            )
            .await;
            wait_until(&client, "location.pathname === '/search'").await;
            wait_until(
            &client,
            "document.querySelectorAll('#preview mark[id]').length === 3 && \
             [...document.querySelectorAll('#preview mark[id]')].every(m => m.textContent === 'lantern')",
        )
        .await;
            wait_until(&client, &format!("{CURRENT_MARK}.id === 'm1'")).await;
            // Next and previous move the current match, within the pane.
            click(&client, "#preview #next-match").await;
            wait_until(&client, &format!("{CURRENT_MARK}.id === 'm2'")).await;
            click(&client, "#preview #next-match").await;
            wait_until(&client, &format!("{CURRENT_MARK}.id === 'm3'")).await;
            click(&client, "#preview #previous-match").await;
            wait_until(&client, &format!("{CURRENT_MARK}.id === 'm2'")).await;
            wait_until(&client, "location.hash === ''").await;
            // The keyboard selects the next hit, and the pane follows.
            let body = client.find(Locator::Css("body")).await.expect("the page");
            body.send_keys(&Key::Down).await.expect("arrow down");
            wait_until(
                &client,
                "document.querySelectorAll('#results li.hit')[1].classList.contains('selected')",
            )
            .await;
            wait_until(
                &client,
                &format!(
                    "document.querySelector('#preview h1.path').textContent === {second:?} && \
                 {CURRENT_MARK}.id === 'm1'"
                ),
            )
            .await;
            body.send_keys(&Key::Up).await.expect("arrow up");
            wait_until(
                &client,
                &format!("document.querySelector('#preview h1.path').textContent === {first:?}"),
            )
            .await;
            wait_until(&client, &format!("{CURRENT_MARK}.id === 'm1'")).await;
            // `n` is the next match, as on the document page.
            body.send_keys("n").await.expect("press n");
            wait_until(&client, &format!("{CURRENT_MARK}.id === 'm2'")).await;
            // Enter opens the original file.
            body.send_keys(&Key::Enter).await.expect("enter");
            wait_until(&client, "location.pathname === '/file'").await;
            wait_until(
                &client,
                "document.body.textContent.startsWith('lantern \\nsecond line')",
            )
            .await;
            client
        },
    );
}

#[test]
fn the_preview_of_a_pdf_says_the_page_of_the_current_match() {
    let dir = Dir::new();
    let manual =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-docs/documents/manual.pdf");
    dir.create(
        "docs/manual.pdf",
        std::fs::read(&manual).expect("the sample manual"),
    );
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    // "lamp" is on the first page of the manual, then on the second.
    let page = server.url("/search?q=lamp");
    let text = "document.querySelector('#preview #match-page').textContent";
    in_browser("the_preview_of_a_pdf_says_the_page", |client| async move {
        open_at_width(&client, &page, 1400).await;
        wait_until(&client, &format!("{HIT_COUNT} === 1")).await;
        // On its fragments: the middle of the hit may be a link (its original file).
        click(&client, "#results li.hit .snippet").await;
        wait_until(
            &client,
            "document.querySelector('#preview #match-page') !== null",
        )
        .await;
        wait_until(
            &client,
            &format!("{text} === 'p. 1' && {CURRENT_MARK}.id === 'm1'"),
        )
        .await;
        // Onwards until a match on the second page.
        for _ in 0..5 {
            let on_second = client
                .execute(
                    &format!("return {CURRENT_MARK}.dataset.page === '2';"),
                    Vec::new(),
                )
                .await
                .expect("run a script");
            if on_second == Value::Bool(true) {
                break;
            }
            click(&client, "#preview #next-match").await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        wait_until(&client, &format!("{text} === 'p. 2'")).await;
        // Enter opens the PDF at that page.
        let body = client.find(Locator::Css("body")).await.expect("the page");
        body.send_keys(&Key::Enter).await.expect("enter");
        wait_until(
            &client,
            "location.pathname === '/file' && location.hash === '#page=2'",
        )
        .await;
        client
    });
}

#[test]
fn a_phone_has_no_preview_folded_facets_and_no_sideways_scrolling() {
    let dir = Dir::new();
    let long = "a-long-folder-name-without-any-break-in-it-at-all".repeat(3);
    dir.create(&format!("docs/{long}/heron.txt"), "a heron");
    dir.create("docs/plain.txt", "a heron in plain text");
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let page = server.url("/search?q=heron");
    in_browser("a_phone_has_no_preview", |client| async move {
        open_at_width(&client, &page, 390).await;
        wait_until(&client, "window.innerWidth <= 400").await;
        wait_until(&client, &format!("{HIT_COUNT} === 2")).await;
        wait_until(
            &client,
            "document.documentElement.scrollWidth <= window.innerWidth",
        )
        .await;
        // The facets stand above the hits, folded, and open on a tap.
        wait_until(&client, "!document.getElementById('facets').open").await;
        wait_until(
            &client,
            "document.getElementById('facets').getBoundingClientRect().bottom <= \
             document.querySelector('#results li.hit').getBoundingClientRect().top",
        )
        .await;
        click(&client, "#facets > summary").await;
        wait_until(&client, "document.getElementById('facets').open").await;
        wait_until(
            &client,
            "document.documentElement.scrollWidth <= window.innerWidth",
        )
        .await;
        // No pane: a hit's path leads to its document page.
        wait_until(&client, "document.getElementById('preview').hidden").await;
        click(&client, "#results li.hit a.open").await;
        wait_until(&client, "location.pathname === '/doc'").await;
        wait_until(&client, "document.getElementById('m1') !== null").await;
        client
    });
}

#[test]
fn the_preview_follows_a_match_into_the_next_part_of_a_long_document() {
    // 1,500 matches: the first part holds 1,000, the second the rest.
    let dir = Dir::new();
    dir.create("docs/long.txt", "lantern and more\n".repeat(1_500));
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let page = server.url("/search?q=lantern");
    in_browser(
        "the_preview_follows_a_match_into_the_next_part",
        |client| async move {
            open_at_width(&client, &page, 1400).await;
            wait_until(&client, &format!("{HIT_COUNT} === 1")).await;
            click(&client, "#results li.hit").await;
            wait_until(
                &client,
                "document.querySelector('#preview #m1000') !== null",
            )
            .await;
            // The line of the part's last match links to the next one, on the next part.
            client
                .execute(
                    "document.querySelector('#preview #m1000').closest('tr')\
                 .querySelector('a[title=\"next match\"]').click();",
                    Vec::new(),
                )
                .await
                .expect("follow the line's next link");
            wait_until(
                &client,
                &format!(
                    "{CURRENT_MARK} !== null && {CURRENT_MARK}.id === 'm1001' && \
                 document.querySelector('#preview #part-nav').textContent.includes('part 2 of 2')"
                ),
            )
            .await;
            wait_until(
                &client,
                "location.pathname === '/search' && location.hash === ''",
            )
            .await;
            // And back.
            click(&client, "#preview #previous-match").await;
            wait_until(
                &client,
                &format!(
                    "{CURRENT_MARK} !== null && {CURRENT_MARK}.id === 'm1000' && \
                 document.querySelector('#preview #part-nav').textContent.includes('part 1 of 2')"
                ),
            )
            .await;
            // Far down the part, the match is in view below the match bar, which stays in view.
            wait_until(
                &client,
                &format!(
                    "(() => {{ const pane = document.getElementById('preview').getBoundingClientRect(); \
                     const bar = document.querySelector('#preview #match-nav').getBoundingClientRect(); \
                     const mark = {CURRENT_MARK}.getBoundingClientRect(); \
                     return document.getElementById('preview').scrollTop > 0 && bar.top >= pane.top && \
                     mark.top >= bar.bottom && mark.bottom <= pane.bottom; }})()"
                ),
            )
            .await;
            client
        },
    );
}
