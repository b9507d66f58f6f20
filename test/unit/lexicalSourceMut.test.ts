/**
 * Where ranking gets its lexical answers (rank/lexicalSource.ts): the questions a request becomes, the
 * answers over a set of documents, the view that refuses a question nobody asked, and the fall-back to the
 * in-process index when the attached provider fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { LexicalDocuments, analyseFile } from '../../src/core/context/rank/lexicalDocuments';
import { LexicalIndex } from '../../src/core/context/rank/lexicalIndex';
import {
  AnsweredView,
  type LexicalAnswers,
  type LexicalProvider,
  type LexicalQuestions,
  answerQuestions,
  attachLexical,
  detachLexical,
  lexicalFor,
  rankingQuestions,
} from '../../src/core/context/rank/lexicalSource';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

const terms = (...words: string[]) => new Map(words.map((word) => [word, 1]));

describe('the questions of a request', () => {
  it('its terms, its identifiers, and each identifier and the import stem as a mention, in lower case', () => {
    const query = terms('session', 'redirect');
    assert.deepEqual(rankingQuestions(query, ['Session', 'resolve_redirects', 'session'], 'ChatEngine'), {
      query,
      limit: 1000,
      names: ['Session', 'resolve_redirects', 'session'],
      mentions: ['session', 'resolve_redirects', 'chatengine'],
      mentionLimit: 201,
    });
    assert.deepEqual(rankingQuestions(query, [], undefined).mentions, []);
  });
});

describe('answers and the view over them', () => {
  const documents = new LexicalDocuments();
  documents.set('a.py', analyseFile('a.py', 'class Session:\n    def send(self):\n        return session\n'));
  documents.set('b.py', analyseFile('b.py', 'from a import Session\nprint(session)\n'));
  documents.set('c.md', analyseFile('c.md', 'Nothing here about it.\n'));
  const questions: LexicalQuestions = {
    query: terms('send'),
    limit: 5,
    names: ['Session'],
    mentions: ['session'],
    mentionLimit: 1,
  };
  const answers = answerQuestions(documents, questions);

  it('answer every question at once, from the documents', () => {
    assert.equal(answers.size, 3);
    assert.deepEqual(
      answers.hits.map((hit) => hit.id),
      ['a.py'],
    );
    assert.deepEqual(
      answers.terms.map(([term, frequency]) => [term, frequency]),
      [
        ['send', 1],
        ['session', 2],
      ],
    );
    assert.ok(answers.terms.every(([, , idf]) => idf > 0));
    assert.deepEqual(answers.definitions, [['Session', [{ path: 'a.py', lines: [1] }]]]);
    assert.deepEqual(
      answers.mentions.map(([term, hits]) => [term, hits.length]),
      [['session', 1]],
    );
  });

  it('the view answers what was asked, as the documents would', () => {
    const view = new AnsweredView(questions, answers);
    assert.equal(view.size, 3);
    assert.equal(view.bm25.idf('session'), documents.bm25.idf('session'));
    assert.equal(view.bm25.documentFrequency('send'), 1);
    assert.deepEqual(view.search(terms('send')), documents.search(terms('send'), 5));
    assert.deepEqual(view.search(terms('send'), 0), []);
    assert.deepEqual(view.definitionsOf('SESSION'), [{ path: 'a.py', lines: [1] }]);
    view.definitionsOf('session').pop();
    assert.equal(view.definitionsOf('session').length, 1, 'each caller gets its own list');
    // The mention was cut at one hit: asking for up to one is fine.
    assert.equal(view.search(terms('session'), 1).length, 1);
  });

  it('the view refuses a question nobody asked, and a search that would silently miss hits', () => {
    const view = new AnsweredView(questions, answers);
    assert.throws(() => view.bm25.idf('other'), /was not asked about "other"/);
    assert.throws(() => view.bm25.documentFrequency('other'), /was not asked about "other"/);
    assert.throws(() => view.search(terms('other')), /not asked this search/);
    assert.throws(() => view.search(terms('session')), /not asked this search/);
    assert.throws(() => view.search(terms('session'), 2), /not asked this search/);
    assert.throws(() => view.definitionsOf('send'), /not asked where "send" is defined/);
  });
});

describe('lexical answers for ranking', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({ 'a.py': 'def send():\n    pass\n', 'b.py': 'def other():\n    pass\n' });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => {
    detachLexical(index);
    ws.dispose();
  });
  const questions = rankingQuestions(terms('send'), ['send'], undefined);
  const answers: LexicalAnswers = {
    size: 42,
    hits: [],
    terms: [['send', 0, 0]],
    definitions: [],
    mentions: [],
    importedBy: [],
  };

  it('come from the attached provider, and from the in-process index once it is detached', async () => {
    const asked: LexicalQuestions[] = [];
    attachLexical(index, { answer: async (q) => (asked.push(q), answers) });
    assert.equal((await lexicalFor(index, questions)).size, 42);
    assert.deepEqual(asked, [questions]);
    detachLexical(index);
    const view = await lexicalFor(index, questions);
    assert.ok(view instanceof LexicalIndex);
    assert.equal(view.size, 2);
    assert.equal(asked.length, 1);
  });

  it('come from the in-process index when the provider fails, and the failed provider is not asked again', async () => {
    let calls = 0;
    attachLexical(index, {
      answer: async () => {
        calls++;
        throw new Error('worker gone');
      },
    });
    assert.equal((await lexicalFor(index, questions)).size, 2);
    assert.equal((await lexicalFor(index, questions)).size, 2);
    assert.equal(calls, 1);
  });

  it('a provider attached while the failing one answered stays attached', async () => {
    const replacement: LexicalProvider = { answer: async () => answers };
    attachLexical(index, {
      answer: async () => {
        attachLexical(index, replacement);
        throw new Error('worker gone');
      },
    });
    assert.equal((await lexicalFor(index, questions)).size, 2);
    assert.equal((await lexicalFor(index, questions)).size, 42);
    detachLexical(index);
  });

  it('a cancelled request is not answered in process', async () => {
    const controller = new AbortController();
    attachLexical(index, {
      answer: async () => {
        controller.abort();
        throw new Error('cancelled');
      },
    });
    await assert.rejects(lexicalFor(index, questions, controller.signal), /cancelled/);
    detachLexical(index);
    // Nothing attached and nothing built yet: the cancelled build stops too.
    const fresh = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), {
      git: false,
    });
    await assert.rejects(lexicalFor(fresh, questions, AbortSignal.abort()), /aborted/);
  });
});
