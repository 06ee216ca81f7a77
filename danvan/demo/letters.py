"""Realistic letters for the demo: what citizens of a commune write about, in their words."""

# (kind, topic code, subject, content); {place} is a hamlet or residential group.
LETTERS = [
    ("feedback", "ha-tang", "Đèn đường hỏng nhiều ngày",
     "Ba cột đèn chiếu sáng ở {place} không sáng đã hơn hai tuần. Buổi tối học sinh đi học "
     "thêm về rất tối, đã có người ngã xe. Đề nghị phường cho kiểm tra, sửa chữa sớm."),
    ("feedback", "rac-thai", "Rác thải không được thu gom",
     "Điểm tập kết rác đầu ngõ ở {place} đã ba ngày không có xe thu gom, rác tràn ra lòng "
     "đường, bốc mùi hôi. Đề nghị đơn vị vệ sinh môi trường thu gom đúng lịch."),
    ("feedback", "o-nhiem", "Xưởng sản xuất gây tiếng ồn ban đêm",
     "Một xưởng cơ khí ở {place} chạy máy đến 23 giờ hằng đêm, tiếng ồn lớn làm người già "
     "và trẻ nhỏ không ngủ được. Đề nghị kiểm tra giờ hoạt động của xưởng."),
    ("feedback", "lan-chiem", "Lấn chiếm vỉa hè làm nơi bán hàng",
     "Nhiều hộ kinh doanh ở {place} bày hàng kín vỉa hè, người đi bộ phải đi xuống lòng "
     "đường, rất nguy hiểm vào giờ tan học. Đề nghị lập lại trật tự vỉa hè."),
    ("feedback", "ha-tang", "Mặt đường xuống cấp, nhiều ổ gà",
     "Đoạn đường liên thôn qua {place} có nhiều ổ gà sâu, trời mưa đọng nước, xe máy đi "
     "qua thường xuyên bị ngã. Đề nghị xã bố trí kinh phí vá mặt đường."),
    ("feedback", "an-ninh-trat-tu", "Thanh niên tụ tập đua xe ban đêm",
     "Khoảng 0 giờ các tối cuối tuần, một nhóm thanh niên tụ tập đua xe, nẹt pô trên "
     "đường qua {place}. Người dân rất bức xúc, đề nghị công an tăng cường tuần tra."),
    ("feedback", "y-te", "Trạm y tế thiếu thuốc cho người cao tuổi",
     "Nhiều tháng nay trạm y tế không có đủ thuốc huyết áp cấp theo bảo hiểm y tế, người "
     "cao tuổi ở {place} phải tự mua ngoài. Đề nghị trạm y tế bổ sung thuốc."),
    ("petition", "ha-tang", "Đề nghị nạo vét mương tiêu",
     "Mương tiêu chạy qua {place} bị bồi lấp, mùa mưa năm trước nước tràn vào ruộng và "
     "ngõ xóm. Các hộ dân ký tên dưới đây đề nghị nạo vét trước mùa mưa."),
    ("petition", "giao-duc", "Đề nghị bố trí thêm lớp học bán trú",
     "Trường tiểu học gần {place} chỉ nhận được một nửa số học sinh đăng ký bán trú. Phụ "
     "huynh đi làm ở khu công nghiệp không đón con buổi trưa được. Đề nghị mở thêm lớp."),
    ("petition", "chinh-sach-xa-hoi", "Đề nghị xem xét trợ cấp cho hộ cận nghèo",
     "Gia đình tôi ở {place} có hai người ốm đau lâu năm, thu nhập thấp nhưng chưa được "
     "xét hộ cận nghèo năm nay. Đề nghị Ủy ban xem xét lại hồ sơ của gia đình."),
    ("petition", "thu-tuc", "Đề nghị rút ngắn thời gian cấp giấy xác nhận",
     "Tôi nộp hồ sơ xin xác nhận thông tin cư trú tại bộ phận một cửa từ hai tuần trước "
     "nhưng chưa có kết quả, trong khi hẹn là ba ngày làm việc. Đề nghị giải quyết sớm."),
    ("petition", "giay-chung-nhan", "Đề nghị cấp giấy chứng nhận quyền sử dụng đất",
     "Gia đình tôi sử dụng ổn định thửa đất ở {place} từ năm 1992, không tranh chấp, đã "
     "nộp hồ sơ cấp giấy chứng nhận từ năm ngoái nhưng chưa được giải quyết."),
    ("petition", "moi-truong", "Đề nghị di dời điểm tập kết rác",
     "Điểm tập kết rác tạm đặt sát cổng trường mầm non ở {place}, mùi hôi ảnh hưởng đến "
     "các cháu. Phụ huynh đề nghị chuyển điểm tập kết ra xa khu dân cư."),
    ("complaint", "boi-thuong", "Khiếu nại đơn giá bồi thường khi thu hồi đất",
     "Tôi khiếu nại quyết định phê duyệt phương án bồi thường khi thu hồi 360 m² đất nông "
     "nghiệp của gia đình tôi ở {place}, vì đơn giá thấp hơn giá đã áp dụng cho các hộ "
     "liền kề. Đề nghị xem xét điều chỉnh đơn giá bồi thường."),
    ("complaint", "boi-thuong", "Khiếu nại việc không được bố trí tái định cư",
     "Nhà ở của gia đình tôi ở {place} bị thu hồi toàn bộ để làm đường nhưng gia đình "
     "không được giao đất tái định cư. Đề nghị hủy phần quyết định liên quan và bố trí tái "
     "định cư theo quy định."),
    ("complaint", "thu-tuc", "Khiếu nại quyết định xử phạt vi phạm hành chính",
     "Tôi khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng đối với công trình "
     "của gia đình ở {place}, vì công trình đã được cấp phép sửa chữa. Đề nghị hủy quyết "
     "định xử phạt."),
    ("complaint", "tranh-chap-dat", "Khiếu nại việc cấp giấy chứng nhận chồng lấn",
     "Giấy chứng nhận cấp cho hộ liền kề ở {place} bao gồm cả 25 m² đất của gia đình tôi "
     "sử dụng từ trước năm 1993. Đề nghị thu hồi, điều chỉnh giấy chứng nhận đã cấp."),
    ("complaint", "chinh-sach-xa-hoi", "Khiếu nại việc cắt trợ cấp người có công",
     "Bố tôi ở {place} là thương binh, bị dừng trợ cấp hằng tháng từ tháng trước mà không "
     "được thông báo lý do. Đề nghị xem xét khôi phục chế độ."),
    ("denunciation", "can-bo", "Tố cáo cán bộ địa chính nhận tiền",
     "Tôi tố cáo cán bộ địa chính phụ trách {place} đã yêu cầu gia đình tôi đưa tiền để "
     "được đo đạc, hoàn thiện hồ sơ nhanh. Tôi có tin nhắn và người làm chứng."),
    ("denunciation", "xay-dung-trai-phep", "Tố cáo việc xây dựng trái phép trên đất nông nghiệp",
     "Một hộ ở {place} đang xây nhà kiên cố trên đất trồng lúa, đã được nhắc nhở nhưng vẫn "
     "tiếp tục thi công, cán bộ phụ trách không xử lý. Tôi gửi kèm ảnh chụp công trình."),
    ("denunciation", "can-bo", "Tố cáo việc lập danh sách hỗ trợ không đúng đối tượng",
     "Trưởng thôn {place} đưa người thân không thuộc diện vào danh sách nhận hỗ trợ, trong "
     "khi nhiều hộ khó khăn không có tên. Đề nghị kiểm tra danh sách."),
    ("feedback", "can-bo", "Thái độ phục vụ tại bộ phận một cửa",
     "Khi tôi đến nộp hồ sơ, cán bộ tiếp nhận nói chuyện điện thoại riêng, không hướng dẫn "
     "và yêu cầu tôi quay lại nhiều lần. Đề nghị nhắc nhở tác phong phục vụ."),
]  # fmt: skip

PLACES = ["tổ dân phố số 3", "thôn Đông", "thôn Hòa Bình", "tổ dân phố An Vũ", "thôn Tiên Cầu",
          "khu phố Bãi Sậy", "thôn Đào Đặng", "tổ dân phố Lê Lợi", "thôn Nễ Châu", "xóm Chùa"]  # fmt: skip

NAMES = ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Văn Cảnh", "Phạm Thị Hoa", "Hoàng Văn Nam",
         "Vũ Thị Lan", "Đỗ Văn Thắng", "Bùi Thị Hằng", "Đặng Văn Long", "Ngô Thị Thu",
         "Dương Văn Tuấn", "Lý Thị Ngọc", "Đinh Văn Bình", "Trịnh Thị Huệ", "Phan Văn Khải"]  # fmt: skip

ANSWERS = {
    "feedback": "Ủy ban đã giao bộ phận chuyên môn kiểm tra thực tế và khắc phục. "
    "Cảm ơn ông/bà đã phản ánh; đề nghị tiếp tục thông tin nếu sự việc tái diễn.",
    "petition": "Ủy ban ghi nhận kiến nghị và đưa vào kế hoạch thực hiện trong quý tới; "
    "kết quả sẽ được công khai tại trụ sở và trên cổng thông tin.",
    "complaint": "Qua xác minh, nội dung khiếu nại đúng một phần. Ủy ban điều chỉnh nội dung "
    "liên quan của quyết định và giữ nguyên các nội dung còn lại.",
    "denunciation": "Qua xác minh, nội dung tố cáo có cơ sở một phần; người bị tố cáo đã bị "
    "xem xét xử lý theo quy định.",
}
