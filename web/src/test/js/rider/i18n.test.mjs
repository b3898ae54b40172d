// The rider app's strings (i18n.js): both languages complete, the browser's language chosen
// (run by RiderJsModulesTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keys, LANGUAGES, pickLanguage, setLanguage, t } from '../../../main/resources/webroot/rider/i18n.js';

test('English and Simplified Chinese have the same keys and placeholders', () => {
  assert.deepEqual(LANGUAGES, ['en', 'zh-CN']);
  assert.deepEqual(keys('zh-CN').sort(), keys('en').sort());
  const holes = (lang, k) => {
    setLanguage(lang);
    return (t(k).match(/\{\w+\}/g) ?? []).sort();
  };
  for (const k of keys('en')) assert.deepEqual(holes('zh-CN', k), holes('en', k), k);
});

test('the browser language decides until the rider chooses', () => {
  assert.equal(pickLanguage(null, ['zh-CN', 'en']), 'zh-CN');
  assert.equal(pickLanguage(null, ['zh-TW']), 'zh-CN');
  assert.equal(pickLanguage(null, ['fr-FR', 'en-GB']), 'en');
  assert.equal(pickLanguage(null, ['de']), 'en');
  assert.equal(pickLanguage('en', ['zh-CN']), 'en', 'the rider\'s choice wins');
  assert.equal(pickLanguage('xx', ['zh']), 'zh-CN', 'an unknown saved value is ignored');
});

test('placeholders are filled as given', () => {
  setLanguage('en');
  assert.equal(t('won', { title: '<b>x</b>' }), 'Won! The task is yours: <b>x</b>');
  setLanguage('zh-CN');
  assert.equal(t('fixesPending', { n: 3 }), '待上传：3');
});
