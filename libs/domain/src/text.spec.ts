import { foldVietnamese } from './text.js';

describe('foldVietnamese', () => {
  it("folds 'Nguyễn Văn Đức' to 'nguyen van duc'", () => {
    expect(foldVietnamese('Nguyễn Văn Đức')).toBe('nguyen van duc');
  });

  it('removes the horn and breve of ư, ơ and ă together with tone marks', () => {
    expect(foldVietnamese('Trường Sơn')).toBe('truong son');
    expect(foldVietnamese('Đặng Thị Hằng')).toBe('dang thi hang');
    expect(foldVietnamese('Phạm Ngọc Thạch')).toBe('pham ngoc thach');
  });

  it('folds lower-case đ and composed or decomposed input alike', () => {
    const composed = 'đoàn viên ưu tú';
    expect(foldVietnamese(composed)).toBe('doan vien uu tu');
    expect(foldVietnamese(composed.normalize('NFD'))).toBe('doan vien uu tu');
  });

  it('collapses runs of whitespace and trims', () => {
    expect(foldVietnamese('  Lê \t Văn\n  Cường ')).toBe('le van cuong');
  });

  it('leaves plain ASCII lower-cased and otherwise unchanged', () => {
    expect(foldVietnamese('Nguyen Van A')).toBe('nguyen van a');
  });
});
