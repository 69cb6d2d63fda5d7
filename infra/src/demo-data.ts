/** The demo data that infra/src/seed-demo.ts creates (also used by up.ts for its banner). */

export const DEMO_PASSWORD = 'ketnap-demo-2026';

/** Marker: when this org unit exists, the demo data is considered present. */
export const DEMO_MARKER_UNIT = 'Đảng ủy Phường Demo';
/** Also accepted as marker (the name the seeding was first specified with). */
export const DEMO_MARKER_ALIASES = ['Đảng bộ Phường Demo'];

export type UnitKey = 'province' | 'superior' | 'school' | 'teachers1' | 'teachers2' | 'residents' | 'trainingCentre';

export interface DemoUnit {
  key: UnitKey;
  name: string;
  kind: 'province' | 'superior' | 'grassroots_committee' | 'grassroots_cell' | 'cell' | 'training_centre';
  parent?: UnitKey;
}

/** In creation order (parents first). */
export const DEMO_UNITS: readonly DemoUnit[] = [
  { key: 'province', name: 'Đảng bộ Thành phố Hà Nội', kind: 'province' },
  { key: 'superior', name: DEMO_MARKER_UNIT, kind: 'superior', parent: 'province' },
  { key: 'school', name: 'Đảng ủy Trường THPT Demo', kind: 'grassroots_committee', parent: 'superior' },
  { key: 'teachers1', name: 'Chi bộ Giáo viên 1', kind: 'cell', parent: 'school' },
  { key: 'teachers2', name: 'Chi bộ Giáo viên 2', kind: 'cell', parent: 'school' },
  { key: 'residents', name: 'Chi bộ cơ sở Tổ dân phố 5', kind: 'grassroots_cell', parent: 'superior' },
  { key: 'trainingCentre', name: 'Trung tâm Chính trị Demo', kind: 'training_centre', parent: 'superior' },
];

export interface DemoUser {
  username: string;
  fullName: string;
  role: 'cell_secretary' | 'grassroots_committee' | 'superior_board' | 'training_centre' | 'auditor' | 'admin';
  unit: UnitKey;
  /** What the user does in the demo, for the banner. */
  description: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'bithu1', fullName: 'Nguyễn Văn An', role: 'cell_secretary', unit: 'teachers1', description: 'Bí thư Chi bộ Giáo viên 1 (cell secretary)' },
  { username: 'bithu2', fullName: 'Trần Thị Bình', role: 'cell_secretary', unit: 'residents', description: 'Bí thư Chi bộ cơ sở Tổ dân phố 5 (grassroots cell secretary)' },
  { username: 'danguy', fullName: 'Lê Văn Cường', role: 'grassroots_committee', unit: 'school', description: 'Đảng ủy Trường THPT Demo (grassroots committee)' },
  { username: 'btv', fullName: 'Phạm Thị Dung', role: 'superior_board', unit: 'superior', description: 'Ban Thường vụ Đảng ủy Phường Demo (superior board)' },
  { username: 'ttct', fullName: 'Hoàng Văn Em', role: 'training_centre', unit: 'trainingCentre', description: 'Trung tâm Chính trị Demo (training centre)' },
  { username: 'kiemtra', fullName: 'Đỗ Thị Giang', role: 'auditor', unit: 'province', description: 'Kiểm tra, Đảng bộ Thành phố Hà Nội (auditor, read-only)' },
];

export interface DemoCandidate {
  cell: UnitKey;
  fullName: string;
  dateOfBirth: string;
  gender: 'female' | 'male';
  ethnicity: string;
  religion?: string;
  education: 'upper_secondary' | 'vocational' | 'college' | 'university' | 'postgraduate';
  youthUnionMember: boolean;
  source: { organization: string; introducedOn: string };
}

export const DEMO_CANDIDATES: readonly DemoCandidate[] = [
  {
    cell: 'teachers1',
    fullName: 'Nguyễn Thị Thu Hà',
    dateOfBirth: '1998-03-14',
    gender: 'female',
    ethnicity: 'Kinh',
    education: 'university',
    youthUnionMember: true,
    source: { organization: 'Đoàn TNCS Hồ Chí Minh Trường THPT Demo', introducedOn: '2025-09-05' },
  },
  {
    cell: 'teachers1',
    fullName: 'Trần Quốc Việt',
    dateOfBirth: '1995-11-02',
    gender: 'male',
    ethnicity: 'Kinh',
    education: 'postgraduate',
    youthUnionMember: false,
    source: { organization: 'Công đoàn Trường THPT Demo', introducedOn: '2025-08-20' },
  },
  {
    cell: 'teachers2',
    fullName: 'Lê Hoàng Phương Anh',
    dateOfBirth: '2001-07-21',
    gender: 'female',
    ethnicity: 'Kinh',
    religion: 'Phật giáo',
    education: 'university',
    youthUnionMember: true,
    source: { organization: 'Đoàn TNCS Hồ Chí Minh Trường THPT Demo', introducedOn: '2025-10-01' },
  },
  {
    cell: 'teachers2',
    fullName: 'Hà Văn Thắng',
    dateOfBirth: '1997-01-30',
    gender: 'male',
    ethnicity: 'Tày',
    education: 'university',
    youthUnionMember: true,
    source: { organization: 'Đoàn TNCS Hồ Chí Minh Trường THPT Demo', introducedOn: '2025-09-15' },
  },
  {
    cell: 'residents',
    fullName: 'Bùi Thị Ngọc Lan',
    dateOfBirth: '2004-05-09',
    gender: 'female',
    ethnicity: 'Mường',
    education: 'upper_secondary',
    youthUnionMember: true,
    source: { organization: 'Chi đoàn Tổ dân phố 5', introducedOn: '2025-10-10' },
  },
  {
    cell: 'residents',
    fullName: 'Vũ Đức Khải',
    dateOfBirth: '2000-12-12',
    gender: 'male',
    ethnicity: 'Kinh',
    religion: 'Công giáo',
    education: 'college',
    youthUnionMember: false,
    source: { organization: 'Ban công tác Mặt trận Tổ dân phố 5', introducedOn: '2025-07-28' },
  },
];
