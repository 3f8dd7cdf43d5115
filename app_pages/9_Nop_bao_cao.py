"""Nộp báo cáo: download the template, upload, see every problem or the preview, confirm.

Every step asks intake.submit, which checks the user's role on the server; this page only
decides what to show.  A viewer or a visitor reaching it by its address sees a refusal and
no widget.
"""

import streamlit as st

from accounts.store import PermissionDenied
from etl.ledger import LedgerError
from etl.problems import BuildFailed, Refused
from intake import submit
from ui import auth, data, nav
from ui import components as ui
from wardplan.display import board
from wardplan.display import format as fmt
from wardplan.display import intake as intake_view
from wardplan.reads import queries
from wardplan.rules.numbers import format_number_vi
from wardplan.rules.periods import period_label

PREVIEW_KEY, DONE_KEY, ROUND_KEY = "_submit_preview", "_submit_done", "_submit_round"
REVERTED_KEY = "_revert_done"
LINKS_KEY = "_submit_links"
WAIT = 30  # seconds a submission waits for another writer before it says so
HISTORY_PAGE = 50  # submissions at a time: a city's year of reports is more than a thousand


def history(user, own: list[str]) -> None:
    """The submissions of the user's wards; an admin may revert one."""
    events = data.load(queries.submissions, wards=own)
    st.caption("Mọi lần nộp của các đơn vị bạn phụ trách, mới nhất trước; tệp đã nhận được lưu "
               "nguyên vẹn. Lần bị từ chối hiện ở đây sau lần ghi dữ liệu kế tiếp.")
    if events.empty:
        st.info("Chưa có lần nộp nào qua hệ thống; số liệu hiện có lấy từ sổ tính gốc của phường.")
    else:
        page = ui.pager(len(events), HISTORY_PAGE, "history_page", "lần nộp")
        ui.table(intake_view.submissions_view(board.page_of(events, page, HISTORY_PAGE)),
                 key="history", narrow=["Số", "Đơn vị", "Kỳ", "Kết quả"])
    revertible = intake_view.revertible(events)
    if user.is_admin and not revertible.empty:
        revert_form(user, revertible)


def revert_form(user, revertible) -> None:
    with st.expander("Hủy một lần nộp (quản trị viên)"):
        st.caption("Số liệu của lần nộp bị hủy thôi có hiệu lực; số trước đó được dùng lại. "
                   "Việc hủy cũng được ghi lại và có thể nộp lại tệp.")
        reverted = st.session_state.pop(REVERTED_KEY, None)  # said after the rerun
        if reverted:
            st.success(reverted, icon=":material/check_circle:")
        names = data.ward_names()
        # The units with a submission to revert, in the app's one order of units: an admin
        # picks the unit first, since a city's year is more than a thousand submissions.
        with_some = set(revertible["ward_code"])
        ward = st.selectbox("Đơn vị", [c for c in data.ward_codes() if c in with_some],
                            key="revert_ward", format_func=lambda code: names.get(code, code))
        choices = intake_view.revert_choices(revertible[revertible["ward_code"] == ward])
        with st.form("revert"):
            chosen = st.selectbox("Lần nộp", list(choices), format_func=choices.get)
            reason = st.text_input("Lý do hủy", max_chars=300, key="revert_reason")
            if st.form_submit_button("Hủy lần nộp này"):
                try:
                    done = submit.revert(int(chosen), user, reason, wait_seconds=WAIT)
                except (LedgerError, PermissionDenied) as refused:
                    st.error(refused.message_vi, icon=":material/block:")
                except Refused as refused:
                    st.error(refused.report_vi(), icon=":material/block:")
                else:
                    st.session_state[REVERTED_KEY] = (f"Đã hủy lần nộp số {chosen} (ghi nhận là "
                                                      f"lần {done.entry.id}).")
                    # Not the same reason under the next submission the box offers.
                    st.session_state.pop("revert_reason", None)
                    st.rerun()


def template_step(own: list[str]) -> None:
    names = data.ward_names()
    st.subheader("1. Tải mẫu báo cáo")
    left, right = st.columns(2)
    ward = left.selectbox("Đơn vị", own, format_func=lambda code: names.get(code, code),
                          key="submit_ward")
    periods = [p for p in data.period_options() if "-" in p]
    suggested = data.default_submit_period()
    period = right.selectbox("Kỳ báo cáo", periods,
                             index=periods.index(suggested) if suggested in periods else 0,
                             format_func=period_label, key="submit_period")
    template, refused = data.report_template(data.generation(), ward, period)
    if refused:
        st.info(refused)
    else:
        st.download_button("Tải mẫu báo cáo", template, icon=":material/download:",
                           file_name=f"mau-bao-cao_{ward}_{period}.xlsx", mime=ui.XLSX_MIME,
                           key="template_download",
                           help="Mẫu có sẵn các chỉ tiêu của đơn vị, chỉ tiêu năm, kịch bản kỳ "
                                "này và số liệu kỳ trước; điền các ô nền vàng.")
    st.caption("Có thể nộp cả sổ tính đầy đủ của đơn vị (kế hoạch, kịch bản và thực hiện) thay "
               "cho mẫu báo cáo kỳ.")


def upload_step() -> submit.Upload | None:
    """The uploaded file, or None (then the last publish's message and links)."""
    st.subheader("2. Nộp tệp")
    done = st.session_state.get(DONE_KEY)
    if done:
        st.success(done, icon=":material/check_circle:")
    # A new key after each publish empties the uploader: the same file is not checked again.
    uploaded = st.file_uploader(f"Tệp báo cáo (.xlsx, tối đa {submit.MAX_BYTES // 2**20} MB)",
                                type=["xlsx"],
                                key=f"submit_file_{st.session_state.get(ROUND_KEY, 0)}")
    if uploaded is None:
        st.session_state.pop(PREVIEW_KEY, None)
        names = data.indicator_names()
        for link_ward, code, period_code in st.session_state.get(LINKS_KEY, []):
            ui.detail_link(link_ward, code, period_code,
                           label=f"Xem {names.get(code, code)} trên bảng theo dõi")
        return None
    st.session_state.pop(DONE_KEY, None)
    st.session_state.pop(LINKS_KEY, None)
    return submit.Upload(uploaded.name, uploaded.getvalue())


def checked(upload: submit.Upload, user) -> submit.Preview | None:
    """The preview of `upload` (checked once per file), or None after showing why not."""
    preview = st.session_state.get(PREVIEW_KEY)
    if preview is not None and preview.upload.sha256 == upload.sha256:
        return preview
    with st.spinner("Đang kiểm tra tệp…"):
        try:
            preview = submit.check(upload, user)
        except BuildFailed as refused:
            st.error(f"Tệp không được nhận: {len(refused.problems)} lỗi. Chưa có gì thay đổi; "
                     "hãy sửa rồi nộp lại.", icon=":material/error:")
            ui.table(intake_view.problems_view(refused.problems), key="problems")
            return None
        except PermissionDenied as refused:
            st.error(refused.message_vi, icon=":material/block:")
            return None
    st.session_state[PREVIEW_KEY] = preview
    return preview


def preview_step(preview: submit.Preview) -> None:
    names = data.ward_names()
    indicator_names, units = data.indicator_names(), data.indicator_units()
    st.subheader("3. Xem trước thay đổi")
    what = (f"báo cáo {period_label(preview.period)}" if preview.period
            else f"sổ tính năm {preview.plan_year}")
    st.markdown(f"**{ui.md_escape(names.get(preview.ward_code, preview.ward_code))}** · "
                f"{ui.md_escape(what)}: {ui.md_escape(submit.summary_vi(preview))} "
                f"(kiểm tra trong {format_number_vi(preview.seconds, 1)} giây).")
    if preview.changes.empty:
        st.info("Tệp không làm thay đổi số liệu nào đang có.")
    else:
        ui.table(intake_view.changes_view(preview.changes, indicator_names, units),
                 key="changes")
    if not preview.moves.empty:
        st.markdown("Trạng thái sẽ thay đổi:")
        ui.table(intake_view.moves_view(preview.moves, indicator_names), key="moves")
    if not preview.findings.empty:
        st.markdown("Phát hiện chất lượng dữ liệu mới:")
        ui.table(intake_view.findings_view(preview.findings, indicator_names), key="findings")


def next_round(message: str, links: list | None = None) -> None:
    """Empty the uploader and say what happened on the rerun."""
    st.session_state.pop(PREVIEW_KEY, None)
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.session_state[DONE_KEY] = message
    st.session_state[LINKS_KEY] = links or []
    st.rerun()


def confirm_step(upload: submit.Upload, user) -> None:
    confirm, cancel = st.columns(2)
    if cancel.button("Hủy, không nộp", key="submit_cancel"):
        next_round("Đã hủy: không có gì thay đổi.")
    if not confirm.button("Xác nhận nộp", type="primary", key="submit_confirm"):
        return
    with st.spinner("Đang ghi nhận…"):
        try:
            published = submit.publish(upload, user, wait_seconds=WAIT)
        except BuildFailed as refused:
            st.error("Tệp không được nhận (dữ liệu đã thay đổi từ lúc xem trước).",
                     icon=":material/error:")
            ui.table(intake_view.problems_view(refused.problems), key="problems-publish")
            return
        except PermissionDenied as refused:
            st.error(refused.message_vi, icon=":material/block:")
            return
        except Refused as refused:  # another writer kept the lock too long
            st.error(refused.report_vi(), icon=":material/hourglass_empty:")
            return
    entry, changes = published.entry, published.preview.changes
    next_round(f"Đã nhận lần nộp số {entry.id} lúc {fmt.local_time_text(entry.submitted_at)} "
               f"(giờ Việt Nam), trong {format_number_vi(published.seconds, 1)} giây: "
               f"{submit.summary_vi(published.preview)}.",
               list(dict.fromkeys((entry.ward_code, code, period_code) for code, period_code
                                  in zip(changes["indicator_code"], changes["period"],
                                         strict=True)))[:10])


def submission(user, own: list[str]) -> None:
    """Template, upload, check, preview, confirm.  Each step that refuses ends the tab with
    `return`, not st.stop, so app.py still draws the sidebar's account and sources."""
    st.caption("Mỗi lần nộp được lưu nguyên tệp, ghi rõ người nộp và thời điểm; số liệu mới thay "
               "số cũ cùng kỳ, số cũ vẫn còn trong lịch sử của chỉ tiêu.")
    template_step(own)
    upload = upload_step()
    preview = checked(upload, user) if upload else None
    if preview is not None:
        preview_step(preview)
        confirm_step(upload, user)


st.title("Nộp báo cáo")
current = auth.current_user()
if current is None:
    st.warning("Cần đăng nhập bằng tài khoản nhập số liệu của phường để nộp báo cáo.",
               icon=":material/lock:")
    st.page_link(nav.target(nav.ACCOUNT), label="Đăng nhập", icon=nav.ACCOUNT.icon)
elif not current.can_write:
    st.error(f"Tài khoản '{current.username}' chỉ có quyền xem, không nộp báo cáo được. Cần "
             "quyền nộp báo cáo, xin liên hệ quản trị viên.", icon=":material/block:")
else:
    wards = [w for w in data.ward_codes() if current.can_submit(w)]
    submit_tab, history_tab = st.tabs(["Nộp báo cáo", "Các lần nộp"])
    with submit_tab:
        submission(current, wards)
    with history_tab:
        history(current, wards)
