"""The help page's content ("Hướng dẫn sử dụng"), built from the code's own labels.

Every status, origin, kind, legend name and sheet name below comes from the constant
the app, the deck and the workbook use, so the help cannot drift from the screen.  A
label the catalogue does not have yet (a new status or scenario origin) is described
in prose and listed once its constant exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from wardplan.display import charts, styles
from wardplan.display.scale import CITY_LAYOUT_ABOVE
from wardplan.rules import kinds, template
from wardplan.rules.numbers import format_pct_vi
from wardplan.rules.scenario import ORIGIN_LABELS_VI, PROVISIONAL_VI


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    paragraphs: list[str]
    table: pd.DataFrame | None = None
    after: list[str] = field(default_factory=list)


# What each scenario origin means, by its code.  "implied" is described here before
# the rules name it, and shown once ORIGIN_LABELS_VI has a label for it.
_ORIGIN_MEANING = {
    "official": "số kịch bản do chính phường lập và công bố trong văn bản (ví dụ phụ lục "
                "kịch bản tăng trưởng của báo cáo quý).",
    "implied": "số kịch bản suy ngược từ chính lời văn của phường, khi phường chỉ viết "
               "“vượt kịch bản X%” mà không ghi số kịch bản: kịch bản = thực hiện ÷ (1 + X%).",
    "derived": "tháng phường không lập kịch bản: hệ thống phân bổ đều phần chỉ tiêu năm còn "
               "lại cho các tháng còn lại. Đây không phải số của phường.",
}

_KIND_MEANING = {
    kinds.FLOW: "số cộng dồn từ đầu năm (thu ngân sách, giá trị sản xuất, doanh nghiệp "
                "thành lập mới): so lũy kế thực hiện với lũy kế kịch bản đến kỳ.",
    kinds.CUMULATIVE_PCT: "tỷ lệ tính lũy kế từ đầu năm (giải ngân vốn đầu tư công): so với "
                          "tỷ lệ kịch bản đặt ra đến kỳ.",
    kinds.LEVEL: "mức đạt tại một thời điểm (tỷ lệ bao phủ bảo hiểm y tế, hồ sơ đúng hạn): "
                 "so mức mới nhất với mức cần đạt.",
    kinds.MILESTONE: f"việc làm xong một lần (trường đạt chuẩn, phòng học thông minh): chỉ đánh "
                     f"giá khi hoàn thành, nên trước đó hiện “{styles.MILESTONE_TEXT}” thay vì "
                     "một tỷ lệ 0%.",
    kinds.RANK: "thứ hạng do thành phố công bố (chỉ số cải cách hành chính): theo đánh giá "
                "của phường và kết quả công bố.",
    kinds.QUALITATIVE: "chỉ tiêu không có con số (giữ vững an ninh trật tự): theo đánh giá "
                       "của phường.",
}


def status_table(green_min_pct: float, amber_min_pct: float) -> pd.DataFrame:
    legend = styles.band_legend(green_min_pct, amber_min_pct)
    return pd.DataFrame({
        "Ký hiệu": [styles.STATUS_STYLES[s].symbol for s in styles.STATUS_ORDER],
        "Trạng thái": [styles.STATUS_STYLES[s].label for s in styles.STATUS_ORDER],
        "Nghĩa là": [legend.get(s, "") for s in styles.STATUS_ORDER],
    })


def origin_table() -> pd.DataFrame:
    codes = [c for c in _ORIGIN_MEANING if c in ORIGIN_LABELS_VI] + \
        [c for c in ORIGIN_LABELS_VI if c not in _ORIGIN_MEANING]
    return pd.DataFrame({
        "Nguồn gốc kịch bản": [ORIGIN_LABELS_VI[c] for c in codes],
        "Nghĩa là": [_ORIGIN_MEANING.get(c, "") for c in codes],
    })


def kind_table() -> pd.DataFrame:
    return pd.DataFrame({
        "Loại chỉ tiêu": [kinds.LABELS_VI[k] for k in kinds.KINDS],
        "So sánh thế nào": [_KIND_MEANING[k] for k in kinds.KINDS],
    })


def sections(green_min_pct: float, amber_min_pct: float) -> list[Section]:
    green, amber = format_pct_vi(green_min_pct), format_pct_vi(amber_min_pct)
    grey = styles.STATUS_STYLES[styles.GREY].text
    origins = ORIGIN_LABELS_VI
    sheets = ", ".join(f"“{s.name}”" for s in template.WARD_SHEETS)
    return [
        Section("trang-thai", "Trạng thái và ký hiệu", [
            "Mỗi chỉ tiêu của mỗi phường có một trạng thái tại kỳ đang xem. Trạng thái so "
            "sánh số thực hiện lũy kế đến hết kỳ với kịch bản tăng trưởng đến hết kỳ đó — "
            "không so với cả năm: số thu quý I thường chỉ bằng khoảng một phần tư chỉ tiêu "
            "năm mà vẫn đúng tiến độ.",
            f"Ngưỡng hiện dùng (ghi trong cơ sở dữ liệu khi nạp): từ {green} kịch bản đến kỳ là "
            f"đạt, từ {amber} đến dưới {green} là cần chú ý, dưới {amber} là chậm. Mỗi trạng "
            "thái có cả màu và ký hiệu, nên vẫn đọc được khi in đen trắng hoặc với người khó "
            "phân biệt màu.",
        ], status_table(green_min_pct, amber_min_pct), after=[
            "Dấu ≠ cạnh một ô: phường tự đánh giá khác kết quả tính (ví dụ phường ghi “Đạt” "
            "nhưng số thực hiện dưới kịch bản); trang chi tiết giải thích vì sao.",
            "Trạng thái tạm tính: khi kịch bản của kỳ chủ yếu do hệ thống phân bổ (không phải "
            "số phường lập), trạng thái được ghi là tạm tính — nó cho biết hướng đi, chưa phải "
            "kết luận.",
            "Kỳ sau báo cáo mới nhất: nếu phường chưa báo cáo kỳ đang xem, ô hiện trạng thái "
            "của lần báo cáo gần nhất kèm tên kỳ đó, hoặc màu xám “chưa có báo cáo kỳ này”.",
            "Lỗi dữ liệu: số liệu bị phát hiện sai (ví dụ viết nhầm đơn vị) hiện màu xám “lỗi "
            "dữ liệu” thay vì một màu có thể gây hiểu lầm; xem trang Chất lượng dữ liệu.",
            "Số liệu chưa trọn kỳ (ví dụ ước đến ngày 20 của tháng) ghi kèm ngày chốt số.",
            "Dự báo cuối năm (trang chi tiết): nếu giữ nhịp độ hiện tại thì cuối năm đạt bao "
            "nhiêu — một phép ngoại suy đơn giản, không phải số của phường.",
        ]),
        Section("kich-ban", "Kịch bản tăng trưởng và nguồn gốc của nó", [
            "Kịch bản là lộ trình phường dự kiến đạt theo từng tháng để về đích chỉ tiêu năm. "
            "Mỗi tháng của kịch bản ghi rõ nguồn gốc:",
        ], origin_table(), after=[
            f"Trên biểu đồ, chấm đặc là tháng “{origins.get('official', '')}”, chấm rỗng là "
            f"tháng “{origins.get('derived', '')}”. Trong bảng kịch bản của trang chi tiết, "
            "cột “Nguồn gốc” ghi nguồn gốc của từng tháng và cột “Nguồn” ghi văn bản.",
        ]),
        Section("loai-chi-tieu", "Loại chỉ tiêu", [
            "Cách so sánh phụ thuộc loại chỉ tiêu:",
        ], kind_table()),
        Section("bieu-do", "Cách đọc từng biểu đồ", [
            f"Biểu đồ tiến độ (trang Tiến độ theo phường và Chi tiết chỉ tiêu): đường liền "
            f"đậm là “{charts.ACTUAL_NAME}” phường báo cáo; đường nét đứt là kịch bản lũy kế, "
            f"chấm đặc là “{charts.OFFICIAL_NAME}”, chấm rỗng là “{charts.DERIVED_NAME}”; "
            "đường chấm ngang là chỉ tiêu năm; vạch dọc là kỳ đang xem. Tháng phường không "
            "báo cáo thì đường thực hiện đứt quãng, không nối giả.",
            "Biểu đồ tóm tắt (trang Tiến độ theo phường): mỗi thanh là số thực hiện bằng bao "
            "nhiêu % chỉ tiêu năm, màu và ký hiệu theo trạng thái; vạch đen là kịch bản đến kỳ "
            "tính bằng % chỉ tiêu năm — thanh vượt vạch là đang đi trước kịch bản. Chỉ tiêu "
            f"đánh giá khi hoàn thành không có thanh mà ghi “{styles.MILESTONE_TEXT}”.",
            "Biểu đồ xếp hạng (trang So sánh phường): mọi đơn vị đặt chỉ tiêu đang chọn, xếp "
            "từ cao xuống thấp theo % kịch bản đến kỳ hoặc % chỉ tiêu năm của chính đơn vị đó "
            "(các đơn vị khác nhau về quy mô nên so bằng tỷ lệ). Màu cột theo trạng thái, cột "
            f"sọc chéo là {PROVISIONAL_VI}, vạch đen là tỷ lệ còn lại; đơn vị đang chọn được tô "
            "viền, in đậm và đánh dấu ◀; đơn vị chưa có số liệu ở cuối. Biểu đồ phân bố: mỗi "
            "chấm một đơn vị trên từng tỷ lệ, vạch đen là trung vị, hình thoi là đơn vị đang "
            "chọn.",
            "Bảng các đơn vị (trang Tổng quan): mỗi dòng một phường, xã hoặc đặc khu, chậm nhất "
            "trước; mỗi ô lĩnh vực đếm số chỉ tiêu theo từng trạng thái; cột cuối nêu các chỉ "
            "tiêu chậm nhất với % kịch bản đến kỳ (KB). Lọc theo loại đơn vị, trạng thái, lĩnh "
            "vực; tìm tên đơn vị gõ có dấu hoặc không dấu; bấm tên đơn vị để mở trang tiến độ. "
            "Thẻ “Theo chỉ tiêu” đặt vài đơn vị cạnh nhau theo từng chỉ tiêu: mỗi ô ghi ký hiệu, "
            "số thực hiện lũy kế và % KB. Trên điện thoại bảng thành danh sách từng đơn vị, các "
            "chỉ tiêu chậm và cần chú ý lên trước.",
            "Nút phóng to, thu nhỏ và đặt lại trục ở góc biểu đồ; nút toàn màn hình phóng biểu "
            "đồ ra cả màn hình. Rê chuột (hoặc chạm) vào một điểm để xem số.",
        ]),
        Section("nguon", "Mỗi con số lấy từ đâu", [
            "Mọi con số đến từ văn bản của phường (kế hoạch năm, báo cáo tháng, quý, phụ lục "
            "kịch bản), được chép nguyên văn vào sổ nhập liệu Excel của phường rồi nạp vào cơ "
            "sở dữ liệu. Không có con số nào do hệ thống tự đặt ra, trừ kịch bản "
            f"“{origins.get('derived', '')}” và dự báo cuối năm, và hai loại này luôn ghi rõ.",
            "Trong bảng, cột “Nguồn” ghi văn bản (số, ngày) và vị trí trong văn bản (phụ lục, "
            "số thứ tự, cột). Mục “Nguồn đầy đủ của từng dòng” dưới bảng ghi đầy đủ tên văn "
            "bản và ô của sổ nhập liệu mà con số được đọc ra. Trình chiếu ghi nguồn ở chân "
            "trang và đầy đủ trong ghi chú của từng trang; sổ Excel có cột nguồn cho từng dòng.",
            "Khi nạp, hệ thống đối chiếu số trong bảng với lời văn, tỷ lệ phường nêu với tỷ lệ "
            f"tính lại, tổng với các thành phần. Điểm chưa khớp được ghi ở trang Chất lượng dữ "
            f"liệu; con số vẫn hiện đúng như văn bản. Chỉ tiêu chưa có số để so hiện {grey}.",
        ]),
        Section("gui-so-lieu", "Phường gửi số liệu thế nào", [
            f"Mỗi phường có một sổ Excel theo mẫu chung, gồm các trang {sheets}. Mỗi dòng là "
            "một chỉ tiêu trong một kỳ; số gõ dạng số, kèm cột nguyên văn (đúng như văn bản "
            "viết) và nguồn (văn bản và vị trí).",
            "Hằng tháng, hằng quý, cán bộ phường đăng nhập (trang Đăng nhập, tài khoản do quản "
            "trị viên cấp), mở trang Nộp báo cáo, chọn kỳ và bấm “Tải mẫu báo cáo”: một sổ nhỏ "
            "có sẵn các chỉ tiêu của phường, chỉ tiêu năm, kịch bản kỳ này và số liệu kỳ trước. "
            "Điền các ô nền vàng (số, nguyên văn, đánh giá, tóm tắt), ghi số và ngày văn bản "
            "báo cáo ở trang Thông tin, rồi tải tệp lên. Cũng có thể nộp cả sổ đầy đủ của phường.",
            "Hệ thống chỉ kiểm tra những gì tệp chạm tới (danh mục và phường đó). Nếu có lỗi, "
            "không nhận gì và liệt kê từng lỗi theo tệp › trang › ô kèm lý do. Nếu không, trang "
            "hiện trước các thay đổi: số mới, số sửa (cũ → mới, chênh lệch %), số bỏ, phát hiện "
            "chất lượng dữ liệu mới và trạng thái sẽ đổi; chỉ khi bấm “Xác nhận nộp” số liệu mới "
            "được ghi, và người xem thấy ngay ở lần bấm tiếp theo.",
            "Không gì bị ghi đè: mỗi tệp đã nhận được lưu nguyên vẹn, kèm người nộp, thời điểm, "
            "kỳ và kết quả (thẻ “Các lần nộp”); số mới thay số cũ cùng kỳ, số cũ vẫn xem được ở "
            "mục Lịch sử số liệu của trang Chi tiết chỉ tiêu. Quản trị viên có thể hủy một lần "
            "nộp; việc hủy cũng được ghi lại. Tài khoản chỉ xem không nộp được.",
        ]),
        Section("xuat", "In và xuất báo cáo", [
            "Trang Xuất báo cáo: trình chiếu PowerPoint cho cuộc họp, Báo cáo PDF cùng nội dung "
            "và thứ tự với trình chiếu, sổ Excel (đã đặt sẵn để in: khổ A4 ngang, vừa một trang "
            "chiều ngang, lặp dòng tiêu đề) và bảng trạng thái CSV cho máy tính đọc (UTF-8, dấu "
            "phẩy phân cách, số dạng 357450 và 29.62).",
            "Bấm “Tạo …” để tạo tệp: tệp được tạo riêng, không làm chậm người dùng khác; thanh "
            "tiến độ cho biết đang làm đến đâu, xong thì bấm “Tải …”. Tệp đã tạo giữ 30 phút.",
            f"Khi chọn quá {CITY_LAYOUT_ABOVE} đơn vị, trình chiếu và báo cáo PDF là bản tổng hợp "
            "toàn thành phố: số đơn vị chậm, cần chú ý, đạt và chưa có số liệu trên từng chỉ tiêu "
            "chủ yếu; các đơn vị chưa báo cáo; các chỉ tiêu chậm và cần chú ý xếp từ thấp nhất, "
            "kèm lý do và cơ sở kịch bản (“tạm tính” khi kịch bản chủ yếu do hệ thống phân bổ); "
            "rồi các đơn vị chọn ở ô “Đơn vị trình bày đầy đủ”, mỗi đơn vị như bản của vài phường. "
            "Sổ Excel luôn có đủ mọi đơn vị.",
            "Mỗi trang còn có nút “Trình chiếu phần này” (và ảnh của bảng trạng thái) với đúng "
            "kỳ và lựa chọn đang xem; dưới mỗi biểu đồ có nút tải ảnh PNG, SVG khổ 16:9.",
            "In trực tiếp từ trình duyệt (Ctrl+P) cho bản in không có thanh bên và nút bấm, "
            "bảng và biểu đồ in trọn; chọn khổ A4 ngang.",
        ]),
    ]
