import { describe, expect, it } from 'vitest';
import { parseSmsCommand, servicesNamed } from '../../server/domain/sms-command.js';

const TODAY = '2026-12-05';

describe('短信预约 commands', () => {
  it('reads a booking as citizens write it', () => {
    expect(parseSmsCommand('预约 社保 12月8日 上午', TODAY)).toEqual({ kind: 'book', service: '社保', day: '2026-12-08', period: 'am', at: null });
    expect(parseSmsCommand('预约社保，明天，下午', TODAY)).toEqual({ kind: 'book', service: '社保', day: '2026-12-06', period: 'pm', at: null });
    expect(parseSmsCommand('预约　不动产　１２－１０　１０：３０', TODAY)).toEqual({ kind: 'book', service: '不动产', day: '2026-12-10', period: null, at: '10:30' });
    expect(parseSmsCommand('预约 公积金 1月4号 9点半', TODAY)).toEqual({ kind: 'book', service: '公积金', day: '2027-01-04', period: null, at: '09:30' });
    expect(parseSmsCommand('预约 医保', TODAY)).toEqual({ kind: 'book', service: '医保', day: null, period: null, at: null });
    // A date that does not exist is not a date: it is taken for the service's name, which then matches nothing.
    expect(parseSmsCommand('预约 2月30日', TODAY)).toEqual({ kind: 'book', service: '2月30日', day: null, period: null, at: null });
    expect(parseSmsCommand('预约', TODAY)).toEqual({ kind: 'help' });
  });

  it('reads cancel and query, and anything else asks for help', () => {
    expect(parseSmsCommand('取消 12345678', TODAY)).toEqual({ kind: 'cancel', code: '12345678' });
    expect(parseSmsCommand('取消１２３４５６７８', TODAY)).toEqual({ kind: 'cancel', code: '12345678' });
    expect(parseSmsCommand('取消', TODAY)).toEqual({ kind: 'cancel', code: null });
    expect(parseSmsCommand(' 查询 ', TODAY)).toEqual({ kind: 'query' });
    for (const text of ['', '你好', 'TD', '预定 社保']) expect(parseSmsCommand(text, TODAY)).toEqual({ kind: 'help' });
  });

  it('finds the service a keyword names: exact first, else the characters in order', () => {
    const services = [
      { nameZh: '社会保险', prefix: 'A', code: 'social_security' }, { nameZh: '医疗保障', prefix: 'B', code: 'medical_insurance' },
      { nameZh: '住房公积金', prefix: 'C', code: 'housing_fund' }, { nameZh: '不动产登记', prefix: 'D', code: 'real_estate' },
    ];
    const names = (k: string) => servicesNamed(k, services).map((s) => s.nameZh);
    expect(names('社保')).toEqual(['社会保险']);
    expect(names('医保')).toEqual(['医疗保障']);
    expect(names('公积金')).toEqual(['住房公积金']);
    expect(names('d')).toEqual(['不动产登记']);
    expect(names('保')).toEqual(['社会保险', '医疗保障']);
    expect(names('户口')).toEqual([]);
  });
});
