import time
from tests.browser import site_tour as tour

def test_timing(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    ctx = browser.new_context(viewport={"width":360,"height":740}, locale="en-GB")
    page = ctx.new_page()
    tour.sign_in_staff(page, live_server, tour.AUTHOR)
    for href in ["/preview/lesson/consent-basics?locale=en&step=2", "/guide/consent?locale=en", "/author/"]:
        t0=time.perf_counter(); page.goto(live_server+href); t1=time.perf_counter()
        page.evaluate(axe.axe_script); t2=time.perf_counter()
        r = axe.run(page, options={"runOnly":{"type":"tag","values":tour.AXE_TAGS},"resultTypes":["violations"]}); t3=time.perf_counter()
        f = tour.page_facts(page); t4=time.perf_counter()
        print(href, f"goto {t1-t0:.2f} inject {t2-t1:.2f} run {t3-t2:.2f} facts {t4-t3:.2f}", r.violations_count)
    page.set_content("<html><body><img src='x.png'><input type=text><p style='color:#aaa;background:#fff'>low</p></body></html>")
    r = axe.run(page, options={"runOnly":{"type":"tag","values":tour.AXE_TAGS},"resultTypes":["violations"]})
    print([v["id"] for v in r.response["violations"]])
    page.goto(live_server+"/preview/lesson/consent-basics?locale=en&step=2")
    r = axe.run(page, options={"runOnly":{"type":"tag","values":["best-practice"]},"resultTypes":["violations"]})
    print("best-practice", [(v["id"], len(v["nodes"])) for v in r.response["violations"]])
    r = axe.run(page, options={"resultTypes":["violations", "incomplete"]})
    print("incomplete", [(v["id"], len(v["nodes"])) for v in r.response["incomplete"]])
