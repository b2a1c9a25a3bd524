import assert from 'node:assert/strict';
import { escapeJsonControls, markdownText, oneLine, shorten, stripControls } from '../../src/common/terminalText';

const ESC = '\u001b';

describe('common/terminalText', () => {
  it('removes CSI sequences (colours, erase line, cursor moves) whole', () => {
    assert.equal(stripControls(`a${ESC}[31mred${ESC}[0m ${ESC}[2K${ESC}[1A${ESC}[?25l b`), 'ared  b');
    assert.equal(stripControls('a\u009b2Kb'), 'ab');
  });

  it('removes OSC strings (clipboard, window title, links) up to BEL or ST, or to the end when unterminated', () => {
    assert.equal(stripControls(`x${ESC}]52;c;aGVsbG8=\u0007y`), 'xy');
    assert.equal(stripControls(`x${ESC}]0;pwned${ESC}\\y`), 'xy');
    assert.equal(stripControls(`x\u009d0;t\u009cy`), 'xy');
    assert.equal(stripControls(`x${ESC}]8;;https://evil${ESC}\\link${ESC}]8;;${ESC}\\`), 'xlink');
    assert.equal(stripControls(`x${ESC}]52;c;unterminated`), 'x');
  });

  it('removes DCS, SOS, PM and APC strings and the two-character ESC sequences', () => {
    assert.equal(stripControls(`a${ESC}P1$qm${ESC}\\b${ESC}_apc${ESC}\\c${ESC}^pm${ESC}\\d${ESC}Xsos${ESC}\\e`), 'abcde');
    assert.equal(stripControls(`a${ESC}cb${ESC}(0c${ESC}7d${ESC}`), 'abcd');
  });

  it('removes C0 and C1 controls but tab and newline, and bidi and separator characters', () => {
    assert.equal(stripControls('a\r\u0000\u0007\u0008b\tc\nd\u007f\u0085e'), 'ab\tc\nde');
    assert.equal(stripControls('safe\u202eexe.txt\u2066x\u2069\u200f\u2028'), 'safeexe.txtx');
  });

  it('leaves ordinary text, emoji and other scripts alone', () => {
    const text = 'Grüße 👋 日本語 — "quotes" [brackets] 100%';
    assert.equal(stripControls(text), text);
  });

  it('reads hostile input in linear time', () => {
    for (const text of [`${ESC}]`.repeat(200_000), `${ESC}[`.repeat(200_000), `${ESC}[${'1;'.repeat(300_000)}`]) {
      const t0 = performance.now();
      stripControls(text);
      assert.ok(performance.now() - t0 < 500);
    }
  });

  it('makes one line of text and shortens it without splitting a surrogate pair', () => {
    assert.equal(oneLine(' a\n\n b\r\n\tc '), 'a b c');
    assert.equal(shorten('abcdef', 4), 'abc…');
    assert.equal(shorten('ab👋cd', 4), 'ab…');
    assert.equal(shorten('abc', 4), 'abc');
  });

  it('escapes in JSON what a terminal would obey, so the value reads back the same', () => {
    const value = { s: `a${ESC}]52;c;x\u0007\u009b2K\u202e\u2028b` };
    const json = escapeJsonControls(JSON.stringify(value));
    assert.equal(stripControls(json), json);
    assert.deepEqual(JSON.parse(json), value);
  });

  it('makes server text inert in Markdown: one line, no link, image, emphasis or HTML', () => {
    const text = markdownText('"x](https://evil) ![i](https://evil/p.png)\n# Allowed <img src=x> *ok* `c` &amp;" changed.');
    assert.equal(text, '"x\\]\\(https://evil\\) \\!\\[i\\]\\(https://evil/p\\.png\\) \\# Allowed \\<img src=x\\> \\*ok\\* \\`c\\` \\&amp;" changed\\.');
  });
});
