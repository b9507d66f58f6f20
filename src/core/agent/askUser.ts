/**
 * The `ask_user` tool: the model asks the user a question on a card in the chat (optional choices as
 * buttons, always a free answer) and the turn waits for the answer. Stop ends the wait.
 */
import type { InteractiveTool } from './toolRunner';

const MAX_CHOICES = 8;

export const askUserTool: InteractiveTool = {
  interactive: true,
  schema: {
    name: 'ask_user',
    description:
      'Ask the user a question when you cannot go on without their decision (which approach, a missing ' +
      'detail). Offer choices when there are a few clear options. The answer comes back as the result. Do not ' +
      'use it for things you can find out with the other tools.',
    parameters: {
      type: 'object',
      properties: {
        question: { type: 'string', description: 'The question, short and specific.' },
        choices: {
          type: 'array',
          items: { type: 'string' },
          description: `Up to ${MAX_CHOICES} answers to offer as buttons (the user may also type their own).`,
        },
      },
      required: ['question'],
    },
  },
  title: (args) => `Ask: ${typeof args.question === 'string' ? args.question.slice(0, 80) : '?'}`,
  async run(args, context) {
    const question = typeof args.question === 'string' ? args.question.trim() : '';
    if (!question) return { content: 'Error: ask_user needs a "question".', summary: 'no question', isError: true };
    const offered = Array.isArray(args.choices) ? args.choices.filter((c): c is string => typeof c === 'string') : [];
    const choices = [...new Set(offered.map((choice) => choice.trim()).filter(Boolean))].slice(0, MAX_CHOICES);
    const answer = await context.ask({
      kind: 'question',
      title: 'QCoder asks',
      text: question,
      details: [],
      choices: [
        ...choices.map((label, index) => ({ id: `choice-${index}`, label, primary: index === 0 })),
        { id: 'answer', label: 'Send answer' },
      ],
      placeholder: 'Your answer',
      textChoice: 'answer',
    });
    const picked = choices[Number(answer.choice.replace('choice-', ''))];
    const text = answer.choice === 'answer' || picked === undefined ? (answer.text ?? '').trim() : picked;
    if (!text) return { content: 'The user gave no answer.', summary: 'no answer' };
    return { content: `The user answered: ${text}`, summary: text.length > 80 ? `${text.slice(0, 77)}…` : text };
  },
};
