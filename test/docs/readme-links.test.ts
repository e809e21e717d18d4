import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1])));
const relativeLinks = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
  .map((match) => match[1])
  .filter((target) => !/^[a-z]+:/i.test(target));

describe('README.md links', () => {
  // example.com is reserved for examples (RFC 2606): an origin like https://desktop.example.com leads nowhere.
  it('holds no http(s) address but localhost and example.com ones', () => {
    const addresses = readme.match(/https?:\/\/[^\s)`'"]+/g) ?? [];
    const placeholder = /^https?:\/\/(localhost[:/]|([a-z0-9-]+\.)*example\.com\b)/;
    expect(addresses.filter((address) => !placeholder.test(address))).toEqual([]);
  });

  it('holds no path that leaves the repository', () => {
    expect(readme).not.toMatch(/\.\.\//);
  });

  it('links only to files that exist and headings that exist', () => {
    expect(relativeLinks.length).toBeGreaterThan(0);
    for (const target of relativeLinks) {
      const [file, anchor] = target.split('#');
      if (file) expect({ target, exists: fs.existsSync(path.join(ROOT, file)) }).toEqual({ target, exists: true });
      if (anchor !== undefined && !file)
        expect({ target, heading: anchors.has(anchor) }).toEqual({ target, heading: true });
    }
  });
});
