import { acceptedType, ATTACHMENT_MAX_FILENAME, contentDisposition, contentMatches, sanitiseFilename } from './attachment-files.js';

const bytes = (...b: number[]) => Buffer.from(b);

describe('acceptedType', () => {
  it('accepts PDF, JPEG and PNG, ignoring case and parameters', () => {
    expect(acceptedType('application/pdf')).toBe('application/pdf');
    expect(acceptedType('Image/PNG; charset=binary')).toBe('image/png');
    expect(acceptedType('image/jpeg')).toBe('image/jpeg');
  });

  it('refuses anything else, and a missing type', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/octet-stream', 'image/jpg', 'application/json', '', undefined]) expect(acceptedType(t)).toBeUndefined();
  });
});

describe('contentMatches', () => {
  it('recognises the magic bytes of each type', () => {
    expect(contentMatches('application/pdf', Buffer.from('%PDF-1.4\n%âãÏÓ'))).toBe(true);
    expect(contentMatches('image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe(true);
    expect(contentMatches('image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe(true);
  });

  it('refuses content of another type under a declared one', () => {
    expect(contentMatches('application/pdf', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe(false);
    expect(contentMatches('image/png', Buffer.from('%PDF-1.7'))).toBe(false);
    expect(contentMatches('image/jpeg', Buffer.from('<html><script>alert(1)</script>'))).toBe(false);
    expect(contentMatches('application/pdf', Buffer.from(' %PDF-1.4'))).toBe(false);
  });

  it('refuses content shorter than the signature', () => {
    expect(contentMatches('image/png', bytes(0x89, 0x50, 0x4e))).toBe(false);
    expect(contentMatches('application/pdf', Buffer.alloc(0))).toBe(false);
  });

  it('reads the signature from a view into a larger buffer', () => {
    const big = Buffer.concat([Buffer.from('xxxx'), Buffer.from('%PDF-1.4')]);
    expect(contentMatches('application/pdf', big.subarray(4))).toBe(true);
  });
});

describe('sanitiseFilename', () => {
  it('keeps an ordinary Vietnamese name, normalised to NFC', () => {
    expect(sanitiseFilename('Lý lịch 2-KNĐ.pdf'.normalize('NFD'), 'application/pdf')).toBe('Lý lịch 2-KNĐ.pdf');
  });

  it('drops path segments of either separator', () => {
    expect(sanitiseFilename('../../etc/passwd', 'application/pdf')).toBe('passwd');
    expect(sanitiseFilename('C:\\Users\\an\\scan.png', 'image/png')).toBe('scan.png');
  });

  it('removes control and bidi-override characters and leading dots', () => {
    expect(sanitiseFilename('a\u0000b\r\nc\u202Efdp.exe', 'application/pdf')).toBe('abcfdp.exe');
    expect(sanitiseFilename('...hidden.pdf', 'application/pdf')).toBe('hidden.pdf');
  });

  it('names an empty result after the type', () => {
    expect(sanitiseFilename('  /  ', 'image/jpeg')).toBe('tep-dinh-kem.jpg');
    expect(sanitiseFilename('\u0001\u0002', 'application/pdf')).toBe('tep-dinh-kem.pdf');
  });

  it('cuts long names to 200 characters keeping the extension', () => {
    const name = sanitiseFilename(`${'Đ'.repeat(300)}.pdf`, 'application/pdf');
    expect([...name].length).toBe(ATTACHMENT_MAX_FILENAME);
    expect(name.endsWith('Đ.pdf')).toBe(true);
  });
});

describe('contentDisposition', () => {
  it('forces a download and encodes the UTF-8 name', () => {
    expect(contentDisposition('Lý lịch (bản 2).pdf')).toBe("attachment; filename*=UTF-8''L%C3%BD%20l%E1%BB%8Bch%20%28b%E1%BA%A3n%202%29.pdf");
  });

  it('leaves no quote, semicolon or newline that could end the header value', () => {
    const v = contentDisposition('a";b\'c.pdf');
    expect(v.slice("attachment; filename*=UTF-8''".length)).not.toMatch(/[";'\s]/);
  });
});
