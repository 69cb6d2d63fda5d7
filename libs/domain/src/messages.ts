/** Every refusal the domain can give, with its text in Vietnamese (first) and English. */
export type Lang = 'vi' | 'en';

export const MESSAGES = {
  invalid_field: {
    vi: 'Trường "{field}" không hợp lệ: {detail}',
    en: 'Field "{field}" is invalid: {detail}',
  },
  missing_field: { vi: 'Thiếu trường bắt buộc "{field}"', en: 'Required field "{field}" is missing' },
  invalid_date: { vi: 'Trường "{field}" phải là ngày hợp lệ dạng YYYY-MM-DD', en: 'Field "{field}" must be a valid date (YYYY-MM-DD)' },
  date_out_of_range: {
    vi: 'Trường "{field}" phải là ngày trong khoảng {min} đến {max}',
    en: 'Field "{field}" must be a date between {min} and {max}',
  },
  year_out_of_range: { vi: 'Năm {year} nằm ngoài khoảng được hỗ trợ ({min}–{max})', en: 'Year {year} is outside the supported range ({min}–{max})' },
  date_in_future: {
    vi: 'Ngày {field} ({date}) không được sau ngày hiện tại ({today})',
    en: 'Date {field} ({date}) cannot be later than today ({today})',
  },
  date_before_previous_step: {
    vi: 'Ngày {field} ({date}) không được trước ngày của bước trước ({previous})',
    en: 'Date {field} ({date}) cannot be earlier than the previous step ({previous})',
  },
  invalid_outcome: {
    vi: 'Kết quả "{outcome}" không hợp lệ cho bước này; chọn một trong: {allowed}',
    en: 'Outcome "{outcome}" is not valid for this step; choose one of: {allowed}',
  },
  votes_exceed_members: {
    vi: 'Số phiếu tán thành ({inFavour}) không được lớn hơn số thành viên ({members})',
    en: 'Votes in favour ({inFavour}) cannot exceed the number of members ({members})',
  },
  vote_exclusions_exceed_members: {
    vi: 'Số đảng viên không tính vào tổng số khi biểu quyết ({excluded}: sinh hoạt tạm thời nơi khác, được miễn sinh hoạt và vắng mặt, bị đình chỉ sinh hoạt, bị khởi tố, bị tạm giam) không được lớn hơn số đảng viên chính thức của chi bộ ({members})',
    en: 'Members left out of the vote count ({excluded}: temporarily attached elsewhere, exempted and absent, suspended, prosecuted, detained) cannot exceed the cell\'s official members ({members})',
  },
  vote_denominator_empty: {
    vi: 'Sau khi trừ {excluded} đảng viên không tính vào tổng số, chi bộ ({members} đảng viên chính thức) không còn đảng viên nào để biểu quyết',
    en: 'After leaving out {excluded} members, the cell ({members} official members) has nobody left to count in the vote',
  },
  votes_exceed_denominator: {
    vi: 'Số phiếu ({inFavour}) không được lớn hơn số đảng viên chính thức được tính khi biểu quyết ({denominator} = {members} − {excluded} không tính)',
    en: 'Votes ({inFavour}) cannot exceed the official members counted in the vote ({denominator} = {members} − {excluded} left out)',
  },
  facts_unchanged: {
    vi: 'Không có thông tin nào thay đổi so với thông tin hiện hành của người vào Đảng (trình độ học vấn, đoàn viên, nơi cư trú)',
    en: 'Nothing differs from the candidate\'s facts in force (education, Youth Union membership, place of residence)',
  },
  cell_too_small: {
    vi: 'Chi bộ phải có ít nhất 3 đảng viên chính thức (hiện khai {members})',
    en: 'A cell needs at least 3 official members ({members} given)',
  },
  two_thirds_not_reached: {
    vi: 'Chưa đạt ít nhất hai phần ba: {inFavour}/{members} tán thành, cần tối thiểu {needed}',
    en: 'Two thirds not reached: {inFavour}/{members} in favour, at least {needed} needed',
  },
  two_thirds_reached_but_rejected: {
    vi: '{inFavour}/{members} tán thành là đã đạt hai phần ba (cần {needed}); không thể ghi kết quả "{outcome}"',
    en: '{inFavour}/{members} in favour reaches two thirds (needs {needed}); the outcome cannot be "{outcome}"',
  },
  majority_not_reached: {
    vi: 'Chưa đạt quá nửa: {inFavour}/{members} tán thành, cần tối thiểu {needed}',
    en: 'More than half not reached: {inFavour}/{members} in favour, at least {needed} needed',
  },
  majority_reached_but_rejected: {
    vi: '{inFavour}/{members} tán thành là đã quá nửa (cần {needed}); không thể ghi kết quả "{outcome}"',
    en: '{inFavour}/{members} in favour is more than half (needs {needed}); the outcome cannot be "{outcome}"',
  },
  age_below_minimum: {
    vi: 'Người vào Đảng chưa đủ 18 tuổi (tính theo tháng) tại ngày chi bộ xét ({date}): mới {years} tuổi {months} tháng',
    en: 'The candidate is not yet a full 18 years old (counted in months) at the cell meeting ({date}): {years} years {months} months',
  },
  age_above_maximum: {
    vi: 'Người vào Đảng đã quá 60 tuổi (tính theo tháng) tại ngày chi bộ xét ({date}): {years} tuổi {months} tháng; trường hợp này do tỉnh ủy, thành ủy xem xét',
    en: 'The candidate is over 60 (counted in months) at the cell meeting ({date}): {years} years {months} months; such cases go to the provincial committee',
  },
  certificate_missing: {
    vi: 'Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng',
    en: 'There is no party-awareness class certificate on record',
  },
  certificate_expired: {
    vi: 'Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng số {certificateNo} cấp ngày {issuedOn} đã hết giá trị từ ngày {expiresOn} (60 tháng); cần học lại trước khi chi bộ xét',
    en: 'Party-awareness certificate {certificateNo} issued {issuedOn} lapsed on {expiresOn} (60 months); the candidate must retake the class',
  },
  education_insufficient: {
    vi: 'Trình độ học vấn "{education}" chưa đáp ứng yêu cầu (tối thiểu {required}) theo {ruleSet}',
    en: 'Education "{education}" does not meet the requirement (at least {required}) under {ruleSet}',
  },
  application_after_cv: {
    vi: 'Đơn xin vào Đảng ({applicationDate}) phải được viết trước hoặc cùng ngày nộp lý lịch ({cvSubmittedOn})',
    en: 'The application ({applicationDate}) must come before or on the day the CV is submitted ({cvSubmittedOn})',
  },
  introducer_not_official: {
    vi: 'Người giới thiệu "{name}" phải là đảng viên chính thức',
    en: 'Introducer "{name}" must be an official party member',
  },
  introducer_too_short: {
    vi: 'Người giới thiệu "{name}" mới cùng công tác, học tập hoặc cư trú với người vào Đảng {monthsTogether} tháng; cần ít nhất {required} tháng',
    en: 'Introducer "{name}" has been together with the candidate for {monthsTogether} months; at least {required} are required',
  },
  introducer_residence_not_allowed: {
    vi: 'Theo {ruleSet}, thời gian cùng cư trú chưa được tính cho người giới thiệu "{name}" (chỉ từ 2021)',
    en: 'Under {ruleSet}, living in the same area does not yet qualify introducer "{name}" (only from 2021)',
  },
  introducers_insufficient: {
    vi: 'Cần hai đảng viên chính thức giới thiệu, hoặc nghị quyết giới thiệu của Ban Chấp hành Đoàn cơ sở (hoặc công đoàn cơ sở) và một đảng viên chính thức (hiện có {valid} người giới thiệu hợp lệ)',
    en: 'Two official-member introducers are needed, or a Youth Union (or trade-union) resolution plus one ({valid} valid introducer(s) given)',
  },
  introducers_too_many: {
    vi: 'Có nghị quyết giới thiệu của Đoàn hoặc công đoàn thì chỉ cần một đảng viên chính thức giới thiệu; tối đa hai người giới thiệu',
    en: 'At most two introducers; with a Youth Union or trade-union resolution, one official member introduces',
  },
  youth_union_route_not_allowed: {
    vi: 'Nghị quyết giới thiệu của Đoàn chỉ dùng cho đoàn viên trong độ tuổi thanh niên (đến {maxYears} tuổi); người vào Đảng {reason}',
    en: 'A Youth Union resolution only applies to Youth Union members of youth age (up to {maxYears}); the candidate {reason}',
  },
  introducer_not_same_grassroots: {
    vi: 'Người giới thiệu "{name}" phải là đảng viên chính thức của cùng tổ chức cơ sở đảng với người vào Đảng (cùng công tác, học tập hoặc cư trú trong đơn vị do tổ chức cơ sở đảng đó lãnh đạo); cần xác nhận cho từng người giới thiệu',
    en: 'Introducer "{name}" must be an official member of the candidate\'s own grassroots party organisation (working, studying or living in a unit it leads); confirm it for each introducer',
  },
  introducer_not_yet_official: {
    vi: 'Người giới thiệu "{name}" trở thành đảng viên chính thức ngày {officialSince}, sau ngày lập hồ sơ giới thiệu ({date})',
    en: 'Introducer "{name}" became an official member on {officialSince}, after the introductions were compiled ({date})',
  },
  introduction_routes_conflict: {
    vi: 'Chỉ một tổ chức giới thiệu: nghị quyết của Đoàn (mẫu 4-KNĐ) hoặc của công đoàn (mẫu 4A-KNĐ), không cả hai',
    en: 'Only one organisation introduces: the Youth Union resolution (form 4-KNĐ) or the trade-union one (form 4A-KNĐ), not both',
  },
  introduction_route_evidence_missing: {
    vi: 'Hình thức giới thiệu "{route}" không khớp với hồ sơ: giới thiệu qua Đoàn cần số và ngày nghị quyết 4-KNĐ, qua công đoàn cần nghị quyết 4A-KNĐ, hai đảng viên thì không kèm nghị quyết',
    en: 'Introduction route "{route}" does not match the evidence: the Youth Union route needs the 4-KNĐ resolution number and date, the trade-union route the 4A-KNĐ one, two members no resolution',
  },
  introduction_resolution_after_compiled: {
    vi: 'Nghị quyết giới thiệu ngày {date} không được sau ngày tổng hợp hồ sơ ({compiledOn})',
    en: 'The introduction resolution dated {date} cannot be later than the date the dossier was compiled ({compiledOn})',
  },
  youth_union_organisation_unstated: {
    vi: 'Người vào Đảng trong độ tuổi thanh niên (đến {maxYears} tuổi): cần ghi rõ nơi người vào Đảng công tác, học tập có tổ chức Đoàn cơ sở hay không',
    en: 'The candidate is of youth age (up to {maxYears}): state whether a Youth Union organisation exists at the grassroots where the candidate works or studies',
  },
  youth_union_route_required: {
    vi: 'Người vào Đảng trong độ tuổi thanh niên (đến {maxYears} tuổi) ở nơi có tổ chức Đoàn cơ sở phải được Ban Chấp hành Đoàn cơ sở giới thiệu bằng nghị quyết (mẫu 4-KNĐ) và một đảng viên chính thức, không phải hai đảng viên',
    en: 'A candidate of youth age (up to {maxYears}) where a grassroots Youth Union organisation exists is introduced by its executive committee\'s resolution (form 4-KNĐ) and one official member, not by two members',
  },
  youth_union_membership_required: {
    vi: 'Người vào Đảng trong độ tuổi thanh niên (đến {maxYears} tuổi) ở nơi có tổ chức Đoàn cơ sở phải là đoàn viên Đoàn TNCS Hồ Chí Minh',
    en: 'A candidate of youth age (up to {maxYears}) where a grassroots Youth Union organisation exists must be a member of the Ho Chi Minh Communist Youth Union',
  },
  trade_union_route_not_enabled: {
    vi: 'Tổ chức cơ sở đảng của chi bộ chưa cho phép nghị quyết giới thiệu của Ban Chấp hành công đoàn cơ sở (mẫu 4A-KNĐ) thay cho một đảng viên giới thiệu; người vào Đảng cần hai đảng viên chính thức giới thiệu, hoặc quản trị viên bật cách giới thiệu này cho tổ chức cơ sở đảng',
    en: 'The grassroots party organisation of this cell does not allow the grassroots trade-union committee\'s introduction resolution (form 4A-KNĐ) to replace one introducer; the candidate needs two official members to introduce, or an administrator turns this route on for the grassroots organisation',
  },
  trade_union_route_not_allowed: {
    vi: 'Nghị quyết giới thiệu của Ban Chấp hành công đoàn cơ sở (mẫu 4A-KNĐ) không áp dụng: {reason}',
    en: 'The grassroots trade-union committee\'s introduction resolution (form 4A-KNĐ) does not apply: {reason}',
  },
  province_exception_not_applicable: {
    vi: 'Không thể đề nghị Ban Thường vụ tỉnh ủy, thành ủy xem xét ngoại lệ: {reason}; ngoại lệ chỉ áp dụng khi người thân (cha mẹ, cha mẹ vợ/chồng hoặc người nuôi dưỡng, vợ/chồng) có vấn đề về chính trị',
    en: 'The province standing board\'s exception cannot be requested: {reason}; it only applies where relatives (parents, parents-in-law or carer, spouse) have political issues',
  },
  province_exception_not_condemned: {
    vi: 'Ngoại lệ chỉ được đề nghị khi người vào Đảng đã thể hiện rõ thái độ lên án hành vi của người thân và có thành tích nổi bật',
    en: 'The exception may only be requested when the candidate has clearly condemned the relatives\' acts and has an outstanding record',
  },
  province_exception_no_province: {
    vi: 'Không có tỉnh ủy, thành ủy phía trên tổ chức của người vào Đảng để xem xét ngoại lệ; kết luận không đủ tiêu chuẩn chính trị phải được ghi nhận là không kết nạp',
    en: 'No province-level committee stands above the candidate\'s units to grant the exception; a conclusion that the standards are not met ends the path',
  },
  dossier_stale: {
    vi: 'Hồ sơ lập ngày {preparedOn} đã quá 12 tháng tại ngày chi bộ xét ({date}); phải làm lại giấy giới thiệu, nghị quyết giới thiệu của Đoàn hoặc công đoàn (nếu có) và bản tổng hợp ý kiến nhận xét',
    en: 'The dossier prepared on {preparedOn} is more than 12 months old at the cell meeting ({date}); introductions and opinions must be redone',
  },
  before_probation_end: {
    vi: 'Ngày {field} ({date}) phải sau khi hết 12 tháng dự bị ({probationEndsOn})',
    en: 'Date {field} ({date}) must be after the 12 months of probation end ({probationEndsOn})',
  },
  new_member_certificate_missing: {
    vi: 'Chưa có giấy chứng nhận lớp bồi dưỡng lý luận chính trị dành cho đảng viên mới; không thể đề nghị công nhận chính thức',
    en: 'No new-member class certificate on record; recognition cannot be proposed',
  },
  decision_number_required: {
    vi: 'Cần số quyết định khi quyết định kết nạp hoặc công nhận',
    en: 'A decision number is required to admit or recognise',
  },
  mentor_required: {
    vi: 'Cần phân công đảng viên chính thức giúp đỡ người vào Đảng (họ tên)',
    en: 'A mentor (official member) must be assigned (full name)',
  },
  extension_not_allowed: {
    vi: 'Bước này không có thời hạn được phép gia hạn (chỉ gia hạn thời hạn cấp trên quyết định, tối đa 30 ngày làm việc, và thời hạn tổ chức lễ kết nạp khi cấp ủy cấp trên trực tiếp đồng ý)',
    en: 'This step has no extendable time limit (only the superior decision, by at most 30 working days, and the ceremony with the direct superior committee\'s consent)',
  },
  extension_not_authorised: {
    vi: 'Không có thẩm quyền gia hạn thời hạn {clock}: thời hạn cấp trên quyết định (T3, T7) do ban thường vụ cấp ủy cấp trên gia hạn; thời hạn tổ chức lễ kết nạp (T4) chỉ cấp ủy cấp trên trực tiếp của chi bộ đồng ý gia hạn',
    en: 'Not authorised to extend time limit {clock}: the superior decision clocks (T3, T7) are extended by the superior standing board; the ceremony clock (T4) only with the agreement of the cell\'s direct superior committee',
  },
  transfer_late_reason_required: {
    vi: 'Giấy giới thiệu sinh hoạt đảng xuất trình ngày {presentedOn}, quá thời hạn {dueDate}: phải ghi rõ lý do chậm',
    en: 'The transfer letter was presented on {presentedOn}, after its time limit {dueDate}: state the reasons for the delay',
  },
  readmission_only_once: {
    vi: 'Chỉ được kết nạp lại một lần: người này đã được kết nạp lại trước đây',
    en: 'Re-admission happens only once: this person was re-admitted before',
  },
  readmission_never: {
    vi: 'Người ra khỏi Đảng vì {leftHowVi} không được xem xét kết nạp lại ({leftHowEn})',
    en: 'A person who left the Party by {leftHowEn} ({leftHowVi}) is never re-admitted',
  },
  readmission_separate_rules: {
    vi: 'Người bị khai trừ vì vi phạm chính sách dân số, kế hoạch hóa gia đình được xem xét theo quy định riêng của Ban Bí thư',
    en: 'People expelled for breaching population and family-planning policy follow separate Secretariat rules',
  },
  readmission_too_early: {
    vi: 'Chưa đủ {months} tháng theo quy định: sớm nhất từ ngày {eligibleOnDmy} mới được xem xét kết nạp lại',
    en: 'The {months} months the rules require have not passed: re-admission can be considered from {eligibleOnDmy}',
  },
  readmission_dates_out_of_order: {
    vi: 'Ngày kết nạp lần đầu ({firstAdmittedOn}) phải trước ngày ra khỏi Đảng ({leftOn})',
    en: 'The first admission ({firstAdmittedOn}) must be earlier than the day the person left the Party ({leftOn})',
  },
  readmission_needs_province: {
    vi: 'Kết nạp lại cần văn bản đồng ý của Ban Thường vụ tỉnh ủy, thành ủy, nhưng trên chi bộ này chưa có tổ chức cấp tỉnh',
    en: "Re-admission needs the province standing board's written approval, but there is no province-level unit above this cell",
  },
  received_before_decision: {
    vi: 'Ngày chi bộ nhận quyết định ({receivedOn}) không được trước ngày ký quyết định ({decisionDate})',
    en: 'The date the cell received the decision ({receivedOn}) cannot be earlier than the decision date ({decisionDate})',
  },
  ceremony_late_without_consent: {
    vi: 'Lễ kết nạp ngày {ceremonyDate} đã quá thời hạn 30 ngày làm việc từ ngày chi bộ nhận quyết định (hạn {dueDate}); chỉ được tổ chức khi đã báo cáo và được cấp ủy cấp trên trực tiếp của chi bộ đồng ý (ghi nhận là gia hạn thời hạn T4)',
    en: 'A ceremony on {ceremonyDate} is past the 30 working days from the day the cell received the decision (due {dueDate}); it may be held only after reporting to and obtaining the agreement of the cell\'s direct superior committee (recorded as the T4 extension)',
  },
  extension_already_used: {
    vi: 'Thời hạn {clock} đã được gia hạn một lần ({workingDays} ngày làm việc); không thể gia hạn thêm',
    en: 'Time limit {clock} was already extended once ({workingDays} working days); it cannot be extended again',
  },
  extension_too_long: {
    vi: 'Chỉ được gia hạn tối đa {max} ngày làm việc (đề nghị {workingDays})',
    en: 'At most {max} working days may be added ({workingDays} requested)',
  },
  calendar_invalid: {
    vi: 'Dữ liệu lịch làm việc không hợp lệ: {detail}',
    en: 'Invalid working-day calendar data: {detail}',
  },
  // Workflow and API level
  task_not_open: {
    vi: 'Nhiệm vụ này đã được xử lý hoặc không còn mở',
    en: 'This task has already been decided or is no longer open',
  },
  task_not_found: { vi: 'Không tìm thấy nhiệm vụ', en: 'Task not found' },
  candidate_not_found: { vi: 'Không tìm thấy người vào Đảng', en: 'Candidate not found' },
  candidate_ended: {
    vi: 'Hồ sơ đã kết thúc ({stage}); không thể thực hiện thao tác này',
    en: 'The case has ended ({stage}); this action is not possible',
  },
  org_unit_cycle: {
    vi: 'Không thể đặt tổ chức {id} vào {target}: {target} nằm trong chính tổ chức đó',
    en: 'Unit {id} cannot go under {target}: {target} lies within it',
  },
  org_unit_no_change: { vi: 'Tổ chức {id} đã ở đúng vị trí này; không có gì thay đổi', en: 'Unit {id} is already there; nothing changes' },
  org_unit_merge_kind: {
    vi: 'Chỉ hợp nhất được tổ chức cùng loại ("{kind}" vào "{intoKind}")',
    en: 'Only units of the same kind can be merged ("{kind}" into "{intoKind}")',
  },
  org_unit_dissolve_cell: {
    vi: 'Không giải thể chi bộ ("{kind}"): hãy hợp nhất vào một chi bộ khác để chuyển các hồ sơ',
    en: 'A cell ("{kind}") is not dissolved: merge it into another cell so its cases move',
  },
  org_unit_dissolved: { vi: 'Tổ chức {id} đã giải thể hoặc hợp nhất', en: 'Unit {id} has been dissolved or merged' },
  org_restructure_no_change: {
    vi: 'Hồ sơ đã thuộc đúng các tổ chức sau sắp xếp; không có gì thay đổi',
    en: 'The case already belongs to the reorganised units; nothing changes',
  },
  transfer_same_cell: {
    vi: 'Người vào Đảng đang sinh hoạt ở chi bộ này; chọn chi bộ chuyển đến khác',
    en: 'The candidate already belongs to this cell; choose another destination cell',
  },
  transfer_out_of_jurisdiction: {
    vi: 'Chuyển sinh hoạt cần quyền của đảng ủy cơ sở hoặc cấp ủy cấp trên quản lý cả chi bộ đi và chi bộ đến',
    en: 'A transfer needs the grassroots or superior committee over both the origin and the destination cell',
  },
  org_unit_not_found: { vi: 'Không tìm thấy tổ chức đảng {id}', en: 'Org unit {id} not found' },
  org_unit_parent_invalid: {
    vi: 'Tổ chức loại "{kind}" không thể trực thuộc {parent}',
    en: 'A unit of kind "{kind}" cannot sit under {parent}',
  },
  org_unit_not_grassroots_committee: {
    vi: 'Chỉ đảng ủy cơ sở mới có thể được ủy quyền kết nạp đảng viên (tổ chức này thuộc loại "{kind}")',
    en: 'Only a grassroots committee can be authorised to admit members (this unit is of kind "{kind}")',
  },
  not_a_cell: {
    vi: 'Người vào Đảng phải thuộc một chi bộ (chi bộ hoặc chi bộ cơ sở)',
    en: 'A candidate must belong to a cell (cell or grassroots cell)',
  },
  routing_incomplete: {
    vi: 'Chi bộ {cellId} chưa có đủ tổ chức cấp trên (đảng ủy cơ sở, cấp ủy cấp trên)',
    en: 'Cell {cellId} lacks its superior units (grassroots and superior committee)',
  },
  unauthenticated: { vi: 'Cần đăng nhập', en: 'Sign-in required' },
  bad_credentials: { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' },
  too_many_login_attempts: {
    vi: 'Đăng nhập sai quá nhiều lần; vui lòng thử lại sau {seconds} giây',
    en: 'Too many failed sign-ins; try again in {seconds} seconds',
  },
  request_not_for_this_case: {
    vi: 'Yêu cầu này được lập cho một hồ sơ khác; không áp dụng',
    en: 'This request was made for another case; not applied',
  },
  request_replayed: {
    vi: 'Yêu cầu này đã được áp dụng (hoặc thiếu mã yêu cầu); không áp dụng lần nữa',
    en: 'This request was already applied (or has no request id); not applied again',
  },
  rate_limited: {
    vi: 'Bạn đã gọi thao tác này quá {limit} lần trong {window} giây; vui lòng thử lại sau {seconds} giây',
    en: 'You have called this more than {limit} times in {window} seconds; try again in {seconds} seconds',
  },
  password_too_short: {
    vi: 'Mật khẩu phải có ít nhất {min} ký tự',
    en: 'The password must be at least {min} characters long',
  },
  password_unchanged: { vi: 'Mật khẩu mới phải khác mật khẩu hiện tại', en: 'The new password must differ from the current one' },
  current_password_wrong: { vi: 'Mật khẩu hiện tại không đúng', en: 'The current password is wrong' },
  user_not_found: { vi: 'Không tìm thấy người dùng {id}', en: 'User {id} not found' },
  last_admin: {
    vi: 'Không thể khóa hoặc bỏ quyền quản trị của quản trị viên cuối cùng còn hoạt động',
    en: 'The last active administrator cannot be deactivated or lose the admin role',
  },
  forbidden: {
    vi: 'Bạn không có thẩm quyền thực hiện thao tác này',
    en: 'You are not authorised to do this',
  },
  out_of_jurisdiction: {
    vi: 'Nhiệm vụ thuộc tổ chức ngoài phạm vi phụ trách của bạn hoặc cần vai trò "{role}"',
    en: 'The task is outside your jurisdiction or needs the role "{role}"',
  },
  training_centre_limited_view: {
    vi: 'Trung tâm bồi dưỡng chỉ xem họ tên, ngày sinh và lớp học của người vào Đảng, không xem lịch sử, thẩm tra, tài liệu, ý kiến hay trích xuất hồ sơ',
    en: 'A training centre sees only a candidate\'s name, date of birth and classes, not the history, verification, attachments, comments or exports',
  },
  place_out_of_jurisdiction: {
    vi: 'Thôn, bản, tổ dân phố hoặc trường {id} thuộc tổ chức ngoài phạm vi phụ trách của bạn',
    en: 'Place {id} belongs to a unit outside your jurisdiction',
  },
  username_taken: { vi: 'Tên đăng nhập "{username}" đã tồn tại', en: 'Username "{username}" is already taken' },
  idempotency_in_progress: {
    vi: 'Yêu cầu với cùng Idempotency-Key đang được xử lý; vui lòng thử lại sau',
    en: 'A request with the same Idempotency-Key is still being processed; retry later',
  },
  idempotency_key_reused: {
    vi: 'Idempotency-Key đã được dùng cho một yêu cầu khác',
    en: 'This Idempotency-Key was already used for a different request',
  },
  temporal_unavailable: {
    vi: 'Máy chủ quy trình tạm thời không phản hồi; yêu cầu chưa được áp dụng, vui lòng thử lại',
    en: 'The workflow server is not answering; nothing was applied, please retry',
  },
  temporal_payload_undecodable: {
    vi: 'Không giải mã được dữ liệu Temporal: {reason}',
    en: 'A Temporal payload could not be decoded: {reason}',
  },
  saved_filter_exists: { vi: 'Bạn đã có bộ lọc tên "{name}"', en: 'You already have a filter named "{name}"' },
  saved_filter_not_found: { vi: 'Không tìm thấy bộ lọc đã lưu', en: 'Saved filter not found' },
  email_not_retryable: {
    vi: 'Thư điện tử này không ở trạng thái gửi thất bại hoặc chưa rõ đã gửi, không gửi lại được',
    en: 'This e-mail has not failed nor is it in doubt: it cannot be re-queued',
  },
  attachment_too_large: { vi: 'Tệp đính kèm vượt quá {limitMb} MB', en: 'The attachment is larger than {limitMb} MB' },
  attachment_type_not_allowed: {
    vi: 'Loại tệp "{contentType}" không được nhận; chỉ nhận {allowed}',
    en: 'File type "{contentType}" is not accepted; only {allowed}',
  },
  attachment_content_mismatch: {
    vi: 'Nội dung tệp không phải là {contentType} như đã khai',
    en: 'The file content is not the declared {contentType}',
  },
  attachment_empty: { vi: 'Tệp đính kèm rỗng', en: 'The attachment is empty' },
  attachment_not_found: { vi: 'Không tìm thấy tệp đính kèm', en: 'Attachment not found' },
  // The dossier as forms (§3.1)
  form_not_generated: {
    vi: 'Mẫu {code} không do tổ chức đảng lập nên không được in từ hệ thống; các mẫu in được: 5, 6, 8, 9, 12, 13, 15, 16 và 20-KNĐ',
    en: 'Form {code} is not issued by the party organisation and is not printed here; printable forms: 5, 6, 8, 9, 12, 13, 15, 16 and 20-KNĐ',
  },
  form_decision_not_recorded: {
    vi: 'Chưa in được mẫu {code}: chưa ghi nhận quyết định của bước "{stepVi}" ({stepEn})',
    en: 'Form {code} cannot be printed yet: the decision of step "{stepEn}" ({stepVi}) is not recorded',
  },
  org_unit_setting_level: {
    vi: 'Chỉ tổ chức cơ sở đảng hoặc cấp trên mới đặt được cách giới thiệu này; chi bộ và đảng ủy bộ phận theo tổ chức cơ sở đảng của mình (đơn vị đã chọn: {kind})',
    en: 'Only a grassroots party organisation or a level above sets this; cells and partial committees follow their grassroots organisation (unit chosen: {kind})',
  },
  dossier_forms_missing: {
    vi: 'Bước này yêu cầu đủ hồ sơ trước khi ghi nhận quyết định; còn thiếu: {forms}',
    en: 'This step requires its documents before the decision is recorded; missing: {forms}',
  },
  // Training classes, quotas, places, reports
  training_class_not_found: { vi: 'Không tìm thấy lớp bồi dưỡng', en: 'Training class not found' },
  job_not_found: { vi: 'Không tìm thấy tác vụ xử lý hàng loạt', en: 'Job not found' },
  training_class_full: {
    vi: 'Lớp "{name}" chỉ nhận {capacity} học viên: đã có {taken}, đề nghị thêm {requested}',
    en: 'Class "{name}" takes {capacity} participants: {taken} already, {requested} more proposed',
  },
  training_candidate_not_at_step: {
    vi: 'Người vào Đảng {fullName} không có nhiệm vụ "{step}" đang mở nên không thể đề nghị vào lớp này',
    en: '{fullName} has no open "{step}" task and cannot be proposed for this class',
  },
  training_candidate_other_centre: {
    vi: 'Người vào Đảng {fullName} thuộc trung tâm bồi dưỡng khác, không phải trung tâm mở lớp này',
    en: '{fullName} belongs to another training centre than the one running this class',
  },
  training_candidate_in_other_class: {
    vi: 'Người vào Đảng {fullName} đang được đề nghị hoặc ghi danh ở lớp khác cùng loại',
    en: '{fullName} is already proposed for or enrolled in another class of the same kind',
  },
  training_not_enrolled: {
    vi: 'Có {count} người chưa được xác nhận ghi danh vào lớp (ví dụ {candidateId})',
    en: '{count} candidates are not confirmed as enrolled in the class (e.g. {candidateId})',
  },
  training_result_conflict: {
    vi: 'Kết quả của {count} học viên đã được cấp trước đó khác với kết quả gửi lên (ví dụ {candidateId}: "{recorded}")',
    en: 'The results of {count} participants were already issued with a different value (e.g. {candidateId}: "{recorded}")',
  },
  training_no_results: { vi: 'Chưa có kết quả học tập nào để cấp giấy chứng nhận', en: 'There are no results to certify' },
  training_issued_before_end: {
    vi: 'Ngày cấp giấy chứng nhận ({issuedOn}) không được trước ngày kết thúc lớp ({endsOn})',
    en: 'The certificates cannot be issued ({issuedOn}) before the class ends ({endsOn})',
  },
  training_no_open_task: {
    vi: 'Hồ sơ không còn nhiệm vụ "{step}" đang mở; kết quả không được chuyển vào quy trình',
    en: 'The case has no open "{step}" task any more; the result was not passed to the workflow',
  },
  certificate_not_found: { vi: 'Không tìm thấy giấy chứng nhận số {number}', en: 'Certificate {number} not found' },
  certificate_number_ambiguous: {
    vi: 'Số {number} do {count} trung tâm cấp; hãy chọn trung tâm (centreId)',
    en: 'Number {number} was issued by {count} centres; choose the centre (centreId)',
  },
  quota_exceeds_parent: {
    vi: 'Tổng chỉ tiêu giao cho các đơn vị trực thuộc sẽ là {allocated} (đã giao {siblingsTotal} + đề nghị {quota}), vượt chỉ tiêu của cấp trên là {parentQuota}',
    en: 'The quotas given to the units below would total {allocated} ({siblingsTotal} already allocated + {quota} requested), more than the parent quota of {parentQuota}',
  },
  quota_below_children: {
    vi: 'Chỉ tiêu {quota} thấp hơn tổng chỉ tiêu đã giao cho các đơn vị trực thuộc ({childrenTotal})',
    en: 'A quota of {quota} is lower than the {childrenTotal} already allocated to the units below',
  },
  place_not_found: { vi: 'Không tìm thấy thôn, bản, tổ dân phố hoặc trường {id}', en: 'Place {id} not found' },
  report_period_invalid: {
    vi: 'Kỳ báo cáo không hợp lệ: ngày bắt đầu {from} sau ngày kết thúc {to}',
    en: 'Invalid report period: {from} is after {to}',
  },
  not_found: { vi: 'Không tìm thấy', en: 'Not found' },
  payload_too_large: { vi: 'Nội dung yêu cầu vượt quá giới hạn {limit}', en: 'The request body is larger than the {limit} limit' },
  unsupported_media_type: { vi: 'Kiểu nội dung của yêu cầu không được hỗ trợ', en: 'The request body has an unsupported content type' },
  request_refused: { vi: 'Yêu cầu bị từ chối (HTTP {status})', en: 'The request was refused (HTTP {status})' },
  import_file_empty: { vi: 'Tệp không có dòng tiêu đề', en: 'The file has no header line' },
  import_file_unreadable: { vi: 'Không đọc được tệp XLSX: {detail}', en: 'The XLSX file cannot be read: {detail}' },
  import_unknown_column: { vi: 'Cột "{column}" không có trong mẫu', en: 'Column "{column}" is not in the template' },
  import_missing_column: { vi: 'Thiếu cột bắt buộc "{column}"', en: 'Required column "{column}" is missing' },
  import_too_many_rows: { vi: 'Tệp có {rows} dòng, tối đa {max} dòng mỗi lần nhập', en: 'The file has {rows} rows; at most {max} per import' },
  import_invalid_date: { vi: 'Cột {column}: "{value}" không phải ngày hợp lệ (dd/mm/yyyy)', en: 'Column {column}: "{value}" is not a valid date (dd/mm/yyyy)' },
  import_invalid_number: { vi: 'Cột {column}: "{value}" không phải số nguyên', en: 'Column {column}: "{value}" is not a whole number' },
  import_invalid_choice: { vi: 'Cột {column}: "{value}" không hợp lệ; chấp nhận: {allowed}', en: 'Column {column}: "{value}" is not valid; accepted: {allowed}' },
  import_missing_value: { vi: 'Thiếu giá trị ở cột {column}', en: 'Column {column} needs a value' },
  import_step_missing: { vi: 'Chưa có bước "{step}" trong khi đã có bước sau "{later}"', en: 'Step "{step}" is missing although a later step ("{later}") is given' },
  import_step_not_applicable: {
    vi: 'Bước "{step}" không áp dụng cho chi bộ này (chi bộ cơ sở, chi bộ thuộc đảng ủy cơ sở được ủy quyền kết nạp, hoặc chi bộ không trực thuộc đảng ủy bộ phận)',
    en: 'Step "{step}" does not apply to this cell (a grassroots cell, a cell of a grassroots committee authorised to admit, or a cell not under a partial committee)',
  },
  import_certificate_after_application: {
    vi: 'Giấy chứng nhận cấp ngày {date}, sau ngày làm đơn hoặc ngày chi bộ xét ({applicationDate})',
    en: 'The certificate was issued on {date}, after the application or the cell meeting ({applicationDate})',
  },
  import_cell_not_found: { vi: 'Không tìm thấy chi bộ "{cell}" trong đơn vị đã chọn', en: 'Cell "{cell}" not found in the chosen unit' },
  import_cell_ambiguous: { vi: 'Có nhiều chi bộ tên "{cell}"; hãy ghi mã chi bộ', en: 'Several cells are named "{cell}"; give the cell id' },
  import_duplicate_row: { vi: 'Trùng người với dòng {row} (cùng họ tên, ngày sinh, đảng bộ cơ sở)', en: 'Same person as row {row} (same name, date of birth and grassroots organisation)' },
  import_already_imported: { vi: 'Đã nhập trước đây (hồ sơ {candidateId}); bỏ qua', en: 'Already imported (case {candidateId}); skipped' },
  import_has_errors: { vi: 'Tệp có {rows} dòng lỗi; sửa rồi nhập lại, chưa có gì được ghi', en: '{rows} rows have errors; fix them and import again, nothing was written' },
  import_step_out_of_order: { vi: 'Bước "{step}" không phải bước đang mở của hồ sơ', en: 'Step "{step}" is not the open step of the case' },
  import_stage_mismatch: { vi: 'Sau các bước đã nhập, hồ sơ ở giai đoạn {stage}, không phải {expected}', en: 'After the imported steps the case is at {stage}, not {expected}' },
  import_inconclusive_votes_limit: {
    vi: 'Đã ghi {votes} lần chi bộ xét công nhận chưa đạt hai phần ba; sau {limit} lần chi bộ báo cáo cấp ủy cấp trên quyết định, không biểu quyết thêm',
    en: '{votes} cell recognition votes without two thirds are given; after {limit} the cell reports up and the competent committee decides, with no further cell vote',
  },
  import_new_member_certificate_after_vote: {
    vi: 'Giấy chứng nhận lớp đảng viên mới cấp ngày {date}, sau ngày chi bộ xét công nhận ({meetingDate})',
    en: 'The new-member class certificate was issued on {date}, after the cell recognition meeting ({meetingDate})',
  },
  internal: { vi: 'Lỗi hệ thống; yêu cầu chưa được áp dụng', en: 'Internal error; nothing was applied' },
} as const satisfies Record<string, { vi: string; en: string }>;

export type MessageCode = keyof typeof MESSAGES;

export type MessageParams = Record<string, string | number | undefined>;

export function renderMessage(code: MessageCode, params: MessageParams = {}, lang: Lang = 'vi'): string {
  const template = MESSAGES[code]?.[lang] ?? String(code);
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

/** Picks 'en' only when the Accept-Language header prefers English (q-values honoured); Vietnamese is the default. */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'vi';
  let en = 0;
  let vi = 0;
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    if (!Number.isFinite(weight)) continue;
    if (tag === 'en' || tag.startsWith('en-')) en = Math.max(en, weight);
    if (tag === 'vi' || tag.startsWith('vi-')) vi = Math.max(vi, weight);
  }
  return en > vi ? 'en' : 'vi';
}
