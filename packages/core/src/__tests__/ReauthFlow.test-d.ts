import type { LoginFlow, UiNode as OryUiNode, UiText as OryUiText } from '@ory/client-fetch'
import { describe, expectTypeOf, it } from 'vitest'
import type { ReauthFlow, UiNode, UiText } from '../ReauthFlow.js'

describe('ReauthFlow', () => {
  it("should take @ory/client-fetch's UiNode and UiText, so Ory's models and components fit", () => {
    expectTypeOf<OryUiNode>().toExtend<UiNode>()
    expectTypeOf<OryUiText>().toExtend<UiText>()
    expectTypeOf<LoginFlow['ui']['nodes']>().toExtend<ReauthFlow['nodes']>()
  })
})
